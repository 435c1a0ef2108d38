// lib/contracts: schema contracts (documents, hashes, DuckDB types, defaults). Pure.
// Browser code should import contract-document.ts directly (contract-hash.ts needs node:crypto).
export * from './column-type';
export * from './canonical-json';
export * from './contract-document';
export * from './contract-hash';
export * from './default-contract';
export * from './describe-type';
export * from './diff-contracts';
export * from './duckdb-type';
export * from './reserved-names';
export * from './temporal-format';
export * from './decimal-format';
