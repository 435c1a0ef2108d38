// The health check: the database answers a query.
import { getDb } from '../../../db/open';
import { APP_VERSION } from './app-version';

export async function checkHealth(): Promise<{ ok: boolean; db: 'ok' | 'error'; version: string }> {
  try {
    await (await getDb()).all('SELECT 1 AS one');
    return { ok: true, db: 'ok', version: APP_VERSION };
  } catch (e) {
    console.error('health: database check failed', e);
    return { ok: false, db: 'error', version: APP_VERSION };
  }
}
