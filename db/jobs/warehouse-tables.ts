// Output tables of the warehouse, created at promotion from the approved contract. Every
// identifier written into SQL here comes from an approved contract (or the fixed lineage lists
// below) and goes through quoteIdent; types come from duckdbTypeOf and are checked by shape.
import { STORAGE_VERSION, type Db } from '../open';
import { quoteIdent } from '../sql';

/** A compression asked for a text column instead of DuckDB's own choice (lib/server/jobs/warehouse-columns.ts). */
export type ColumnCompression = 'zstd';

export interface WarehouseColumn {
  name: string;
  /** A DuckDB type as duckdbTypeOf writes it, e.g. DECIMAL(24,10), TIMESTAMPTZ, VARCHAR. */
  sqlType: string;
  /** VARCHAR only; applied where the database file's format has it (textCompressionAvailable). */
  compression?: ColumnCompression;
}

/** Lineage carried by every valid row (DESIGN.md "Lineage"), after the contract's columns. */
export const LINEAGE_COLUMNS: readonly WarehouseColumn[] = [
  { name: 'line_number', sqlType: 'BIGINT' },
  { name: 'message_index', sqlType: 'BIGINT' },
  { name: '_cf_source_hash', sqlType: 'VARCHAR' },
  { name: '_cf_job_id', sqlType: 'VARCHAR' },
  { name: '_cf_processed_at', sqlType: 'TIMESTAMPTZ' },
  { name: '_cf_parser_version', sqlType: 'VARCHAR' },
  { name: '_cf_contract_hash', sqlType: 'VARCHAR' },
  { name: '_cf_source_offset', sqlType: 'BIGINT' },
  { name: '_cf_source_length', sqlType: 'BIGINT' },
];

/**
 * What a quarantined row carries besides its original values (all kept as text).
 * `_q_row` is the row's position in its job's quarantine file: with `_cf_job_id` it is the
 * stable key of the row (keyset pagination, replay).
 */
export const QUARANTINE_META_COLUMNS: readonly WarehouseColumn[] = [
  { name: '_error_msg', sqlType: 'VARCHAR' },
  { name: '_violations', sqlType: 'VARCHAR' },
  { name: '_violation_type', sqlType: 'VARCHAR' },
  { name: '_extra_columns', sqlType: 'VARCHAR' },
  { name: '_cf_job_id', sqlType: 'VARCHAR' },
  { name: '_source_row', sqlType: 'BIGINT' },
  { name: '_output_row_index', sqlType: 'BIGINT' },
  { name: 'line_number', sqlType: 'BIGINT' },
  { name: '_cf_source_offset', sqlType: 'BIGINT' },
  { name: '_cf_source_length', sqlType: 'BIGINT' },
  { name: '_q_row', sqlType: 'BIGINT' },
];

const SQL_TYPE_SHAPE = /^[A-Z][A-Z ]*(\(\d{1,2}(, ?\d{1,2})?\))?$/;

export function quarantineTableName(output: string): string {
  return `${output}_quarantine`;
}

export class WarehouseSchemaError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** The table's columns in order, types as DuckDB names them (e.g. TIMESTAMP WITH TIME ZONE). */
export async function tableColumns(db: Db, table: string): Promise<Map<string, string> | null> {
  const rows = await db.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_schema = 'main' AND table_name = ? ORDER BY ordinal_position`,
    [table],
  );
  if (rows.length === 0) return null;
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** DuckDB's own name for a type, so that `DECIMAL(24,10)` and `TIMESTAMPTZ` compare with information_schema. */
export async function canonicalType(db: Db, sqlType: string): Promise<string> {
  if (!SQL_TYPE_SHAPE.test(sqlType)) throw new WarehouseSchemaError('promotion.bad_type', `unexpected column type ${sqlType}`);
  const rows = await db.all<{ t: string }>(`SELECT typeof(CAST(NULL AS ${sqlType})) AS t`);
  return rows[0].t;
}

/** `vX.Y.Z` (DuckDB's storage_version tag, with or without its trailing `+`) as a comparable triple. */
function versionParts(v: string): [number, number, number] | null {
  const m = /^v(\d+)\.(\d+)\.(\d+)\+?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : null;
}

/**
 * True when the current database file is in the storage format this code creates (db/open.ts)
 * or a later one. A file of the older default format has no zstd for text: DuckDB accepts
 * `USING COMPRESSION zstd` there and stores the column uncompressed, which would make it larger,
 * not cheaper; such a file keeps DuckDB's own choice.
 */
export async function textCompressionAvailable(db: Db): Promise<boolean> {
  const rows = await db.all<{ v: string | null }>(
    `SELECT map_extract_value(tags, 'storage_version') AS v FROM duckdb_databases() WHERE database_name = current_database()`,
  );
  const have = versionParts(rows[0]?.v ?? '');
  const want = versionParts(STORAGE_VERSION)!;
  if (have === null) return false;
  for (let i = 0; i < 3; i++) if (have[i] !== want[i]) return have[i] > want[i];
  return true;
}

/**
 * Creates the table if it is missing; adds columns a later contract version introduced; refuses
 * (promotion.schema_conflict) a column whose type changed, since casting into the old type could
 * round or truncate values silently.
 */
export async function ensureTable(db: Db, table: string, columns: readonly WarehouseColumn[]): Promise<void> {
  const names = new Set<string>();
  for (const c of columns) {
    if (names.has(c.name)) throw new WarehouseSchemaError('promotion.column_conflict', `column ${c.name} is declared twice for ${table}`);
    names.add(c.name);
    if (!SQL_TYPE_SHAPE.test(c.sqlType)) throw new WarehouseSchemaError('promotion.bad_type', `unexpected column type ${c.sqlType}`);
    if (c.compression !== undefined && c.sqlType !== 'VARCHAR') {
      throw new WarehouseSchemaError('promotion.bad_type', `column ${c.name} is ${c.sqlType}; only text is stored with ${c.compression}`);
    }
  }
  // A column's compression is chosen when it is created; an existing column keeps its own.
  const compress = columns.some((c) => c.compression !== undefined) && (await textCompressionAvailable(db));
  const definition = (c: WarehouseColumn) =>
    `${quoteIdent(c.name)} ${c.sqlType}${compress && c.compression !== undefined ? ` USING COMPRESSION ${c.compression}` : ''}`;
  const existing = await tableColumns(db, table);
  if (existing === null) {
    await db.run(`CREATE TABLE ${quoteIdent(table)} (${columns.map(definition).join(', ')})`);
    return;
  }
  for (const c of columns) {
    const have = existing.get(c.name);
    if (have === undefined) {
      await db.run(`ALTER TABLE ${quoteIdent(table)} ADD COLUMN ${definition(c)}`);
    } else if (have !== (await canonicalType(db, c.sqlType))) {
      throw new WarehouseSchemaError(
        'promotion.schema_conflict',
        `column ${c.name} of ${table} is ${have}; the approved contract declares ${c.sqlType}`,
      );
    }
  }
}
