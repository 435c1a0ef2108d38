export * from './pipeline-definition';
export * from './path-under-root';
export * from './cron-schedule';
export * from './logical-date';
export * from './file-filter';
export * from './selection-snapshot';
