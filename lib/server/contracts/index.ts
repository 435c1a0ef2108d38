// Contract governance services (server only): drafts, edits, submission, four-eyes decisions,
// observed-schema checks and the views of the contracts pages.
export * from './approval-block';
export * from './contract-actor';
export * from './contract-views';
export * from './decide-version';
export * from './edit-draft';
export * from './observed-schemas';
export * from './propose-contract';
export * from './submit-version';
export * from './replay-quarantine';
export * from './contracts-service';
