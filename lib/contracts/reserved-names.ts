import { POSITION_COLUMNS } from '../parsers/parser-types';

// Column names a contract may not declare, because the pipeline writes them itself:
// the `_cf_` lineage prefix (and the parser-side `__cf_` row id), the position columns
// that become lineage, and the quarantine bookkeeping columns.

export const RESERVED_PREFIXES = ['_cf_', '__cf_'] as const;

export const QUARANTINE_META_COLUMNS = [
  '_error_msg',
  '_violations',
  '_violation_type',
  '_source_row',
  '_output_row_index',
  '_extra_columns',
] as const;

// `__proto__` would set an object's prototype instead of a property wherever rows are built.
const RESERVED_EXACT: ReadonlySet<string> = new Set<string>([...POSITION_COLUMNS, ...QUARANTINE_META_COLUMNS, '__proto__']);

/** True for `_cf_*` (and `__cf_*`) names: a parser emitting one fails the job. */
export function hasReservedPrefix(name: string): boolean {
  return name.startsWith('_cf_') || name.startsWith('__cf_');
}

/** True when a contract must not declare a column of this name. */
export function isReservedContractColumn(name: string): boolean {
  return hasReservedPrefix(name) || RESERVED_EXACT.has(name);
}
