// The application version reported by /api/health (package.json "version").
import packageJson from '../../../package.json';

export const APP_VERSION: string = packageJson.version;
