// lib/pipeline: the pure pipeline core — validate, split, lineage, status, hashes, schema inference.
export * from './violation';
export * from './compile-validator';
export * from './column-checker';
export * from './check-shape';
export * from './output-splitter';
export * from './output-status';
export * from './result-hasher';
export * from './run-manifest';
export * from './observed-schema';
export * from './schema-diff';
export * from './replay-row';
export { BOOLEAN_SPELLINGS } from './lexical/boolean';
