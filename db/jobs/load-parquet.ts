// Loading a job's staged Parquet into warehouse tables, inside the promotion transaction.
// The column list always comes from the table (itself made from the approved contract), never
// from the file: a column the file lacks is loaded as NULL, a column the table lacks is ignored.
import type { Db } from '../open';
import { quoteIdent } from '../sql';
import { LINEAGE_COLUMNS, tableColumns, WarehouseSchemaError } from './warehouse-tables';

// Lineage columns are written by the pipeline, not the contract: a widening cast (INTEGER →
// BIGINT, TIMESTAMP → TIMESTAMPTZ) is exact for them.
const LINEAGE_NAMES = new Set(LINEAGE_COLUMNS.map((c) => c.name));

/** Column name → DuckDB type of a Parquet file. */
export async function parquetColumns(db: Db, file: string): Promise<Map<string, string>> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet(?)`, [file]);
  return new Map(rows.map((r) => [r.column_name, r.column_type]));
}

export async function parquetRowCount(db: Db, file: string): Promise<number> {
  const rows = await db.all<{ n: unknown }>(`SELECT count(*) AS n FROM read_parquet(?)`, [file]);
  return Number(rows[0].n);
}

async function requireTable(db: Db, table: string): Promise<Map<string, string>> {
  const cols = await tableColumns(db, table);
  if (cols === null) throw new WarehouseSchemaError('promotion.missing_table', `table ${table} does not exist`);
  return cols;
}

/**
 * Valid rows: typed columns must arrive with exactly the table's types (the worker wrote them
 * as the contract declares); anything else is refused rather than cast.
 */
export async function insertValidRows(db: Db, table: string, file: string): Promise<number> {
  const target = await requireTable(db, table);
  const source = await parquetColumns(db, file);
  const select: string[] = [];
  for (const [name, type] of target) {
    const have = source.get(name);
    if (have === undefined) select.push(`NULL`);
    else if (have === type) select.push(quoteIdent(name));
    else if (LINEAGE_NAMES.has(name)) select.push(`CAST(${quoteIdent(name)} AS ${type})`);
    else throw new WarehouseSchemaError('promotion.schema_conflict', `column ${name} of ${table} is ${type}; the staged file has ${have}`);
  }
  const cols = [...target.keys()].map(quoteIdent).join(', ');
  await db.run(`INSERT INTO ${quoteIdent(table)} (${cols}) SELECT ${select.join(', ')} FROM read_parquet(?)`, [file]);
  return parquetRowCount(db, file);
}

/**
 * Quarantined rows: original values as text (a cast is exactly what failed for them), the
 * violation metadata, and `_q_row` = the row's position in the file.
 */
export async function insertQuarantineRows(db: Db, table: string, file: string): Promise<number> {
  const target = await requireTable(db, table);
  const source = await parquetColumns(db, file);
  const select: string[] = [];
  for (const [name, type] of target) {
    if (name === '_q_row') select.push(`CAST(file_row_number AS BIGINT)`);
    else if (!source.has(name)) select.push('NULL');
    else select.push(`CAST(${quoteIdent(name)} AS ${type === 'VARCHAR' ? 'VARCHAR' : 'BIGINT'})`);
  }
  const cols = [...target.keys()].map(quoteIdent).join(', ');
  await db.run(
    `INSERT INTO ${quoteIdent(table)} (${cols}) SELECT ${select.join(', ')} FROM read_parquet(?, file_row_number = true)`,
    [file],
  );
  return parquetRowCount(db, file);
}

const PARSE_ERROR_COLUMNS = ['code', 'message', 'raw', 'line_number', 'source_offset', 'source_length'] as const;

export async function insertParseErrors(db: Db, jobId: string, output: string, file: string): Promise<number> {
  const source = await parquetColumns(db, file);
  const select = PARSE_ERROR_COLUMNS.map((c) => {
    if (!source.has(c)) return c === 'code' ? `'parse_error'` : 'NULL';
    const type = c === 'code' || c === 'message' || c === 'raw' ? 'VARCHAR' : 'BIGINT';
    return `CAST(${quoteIdent(c)} AS ${type})`;
  });
  await db.run(
    `INSERT INTO parse_errors (job_id, output, ${PARSE_ERROR_COLUMNS.join(', ')})
     SELECT ?, ?, ${select.join(', ')} FROM read_parquet(?)`,
    [jobId, output, file],
  );
  return parquetRowCount(db, file);
}
