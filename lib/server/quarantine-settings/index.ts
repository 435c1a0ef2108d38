// The quarantine settings cascade (issue 6): see resolve-quarantine-policy.ts for the rule.
export * from './resolve-quarantine-policy';
export * from './partial-policy-input';
export * from './global-setting';
export * from './upload-override';
export * from './job-quarantine-settings';
export * from './settings-service';
