// Column layouts of the Parquet files a pipeline run writes. A SinkColumn pairs a name with the
// DuckDB type its Parquet column gets; values arrive as canonical text (see lib/pipeline's
// TypedRow) and are cast by DuckDB, never by JavaScript.

export interface SinkColumn {
  name: string;
  /** A DuckDB type as written in SQL: 'VARCHAR', 'BIGINT', 'DECIMAL(24,10)', 'TIMESTAMPTZ', … */
  duckdbType: string;
  /**
   * The same canonical text on every row (lineage such as _cf_job_id or _cf_source_hash): it is
   * not staged per row but written by the final COPY as a cast literal, which saves staging a
   * few hundred bytes per row. A row's own value for the column is ignored.
   */
  constant?: string | null;
}

/** `columns` with the given names turned into constants (names not in `values` are left as they are). */
export function withConstants(columns: readonly SinkColumn[], values: Record<string, string | null>): SinkColumn[] {
  return columns.map((c) => (Object.prototype.hasOwnProperty.call(values, c.name) ? { ...c, constant: values[c.name] } : c));
}

/** Lineage columns appended to every valid row, in this order (DESIGN.md, "Lineage"). */
export const LINEAGE_COLUMNS: readonly SinkColumn[] = [
  { name: 'line_number', duckdbType: 'BIGINT' },
  { name: 'message_index', duckdbType: 'BIGINT' },
  { name: '_cf_source_hash', duckdbType: 'VARCHAR' },
  { name: '_cf_job_id', duckdbType: 'VARCHAR' },
  { name: '_cf_processed_at', duckdbType: 'TIMESTAMPTZ' },
  { name: '_cf_parser_version', duckdbType: 'VARCHAR' },
  { name: '_cf_contract_hash', duckdbType: 'VARCHAR' },
  { name: '_cf_source_offset', duckdbType: 'BIGINT' },
  { name: '_cf_source_length', duckdbType: 'BIGINT' },
];

/**
 * Bookkeeping columns after a quarantine row's original values (which are all VARCHAR), as
 * lib/pipeline's output splitter fills them.
 */
export const QUARANTINE_TRAILER_COLUMNS: readonly SinkColumn[] = [
  { name: '_extra_columns', duckdbType: 'VARCHAR' },
  { name: '_error_msg', duckdbType: 'VARCHAR' },
  { name: '_violations', duckdbType: 'VARCHAR' },
  { name: '_violation_type', duckdbType: 'VARCHAR' },
  { name: '_cf_job_id', duckdbType: 'VARCHAR' },
  { name: '_source_row', duckdbType: 'BIGINT' },
  { name: '_output_row_index', duckdbType: 'BIGINT' },
  { name: 'line_number', duckdbType: 'BIGINT' },
  { name: 'message_index', duckdbType: 'BIGINT' },
  { name: '_cf_source_offset', duckdbType: 'BIGINT' },
  { name: '_cf_source_length', duckdbType: 'BIGINT' },
];

/** The parse_errors layout (HELPERS.md, "Agreed cross-module facts"). */
export const PARSE_ERROR_COLUMNS: readonly SinkColumn[] = [
  { name: 'job_id', duckdbType: 'VARCHAR' },
  { name: 'output', duckdbType: 'VARCHAR' },
  { name: 'code', duckdbType: 'VARCHAR' },
  { name: 'message', duckdbType: 'VARCHAR' },
  { name: 'raw', duckdbType: 'VARCHAR' },
  { name: 'line_number', duckdbType: 'BIGINT' },
  { name: 'source_offset', duckdbType: 'BIGINT' },
  { name: 'source_length', duckdbType: 'BIGINT' },
];

/** Quarantine layout: every original column as text, then the bookkeeping columns. */
export function quarantineColumns(originalColumns: readonly string[]): SinkColumn[] {
  const trailer = new Set(QUARANTINE_TRAILER_COLUMNS.map((c) => c.name));
  return [
    ...originalColumns.filter((n) => !trailer.has(n)).map((name) => ({ name, duckdbType: 'VARCHAR' })),
    ...QUARANTINE_TRAILER_COLUMNS,
  ];
}

/** Refuses duplicate names: a Parquet file (and the COPY that writes it) needs unique columns. */
export function assertUniqueColumns(columns: readonly SinkColumn[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new Error(`sink.duplicate_column: column '${c.name}' appears twice`);
    seen.add(c.name);
  }
}
