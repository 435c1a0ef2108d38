// Value problems found by the validator, and the typed row it produces.

export const VIOLATION_TYPES = [
  'null_not_allowed',
  'type_mismatch',
  'precision_exceeded',
  'format_invalid',
  'timezone_required',
  'enum_invalid',
  'parse_error',
] as const;
export type ViolationType = (typeof VIOLATION_TYPES)[number];

export interface Violation {
  column: string;
  violation_type: ViolationType;
  /** Self-contained: names the column and (a capped excerpt of) the value. */
  message: string;
}

/**
 * A validated value. Every string is the canonical text that DuckDB casts exactly to the
 * column's `duckdbTypeOf` type: decimal `-123.4500` (scale digits always written), int64 `123`,
 * timestamp_tz `2024-01-02 03:04:05.123456+00` (UTC, always 6 fractional digits),
 * timestamp `2024-01-02 03:04:05.123456`, date `2024-01-02`, float64 the shortest JS text
 * (`1e+21`), string and enum as they came. Booleans are JS booleans; null is SQL NULL.
 */
export type TypedValue = string | boolean | null;
export type TypedRow = Record<string, TypedValue>;

/** A failed value check. Allocated only on failure, so the hot path allocates nothing extra. */
export class CheckFailure {
  constructor(
    readonly type: ViolationType,
    /** Without the column name; the validator prefixes it. */
    readonly message: string,
  ) {}
}

/** A value quoted for a message, capped so a runaway cell cannot bloat the quarantine. */
export function quoteValue(text: string): string {
  return JSON.stringify(text.length > 40 ? text.slice(0, 40) + '…' : text);
}
