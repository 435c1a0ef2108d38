// Reading Parquet files back (tests, the validate CLI, promotion checks). Values come back as
// JSON-safe text: DECIMAL and BIGINT as exact strings, TIMESTAMPTZ as DuckDB's UTC text.
import { quoteIdent, quoteString } from '../sql';
import { withParquetConnection } from './parquet-engine';

export interface ParquetColumnInfo {
  name: string;
  /** DuckDB's type of the column as read back, e.g. 'DECIMAL(24,10)', 'TIMESTAMP WITH TIME ZONE'. */
  duckdbType: string;
}

/** Every row, each value as DuckDB's VARCHAR text of it (NULL stays null), in file order. */
export async function readParquetRowsAsText(filePath: string, limit?: number): Promise<Record<string, string | null>[]> {
  return withParquetConnection(async (con) => {
    const cols = await readParquetColumns(filePath);
    const select = cols.map((c) => `CAST(${quoteIdent(c.name)} AS VARCHAR) AS ${quoteIdent(c.name)}`).join(', ');
    const lim = limit === undefined ? '' : ` LIMIT ${Math.trunc(limit)}`;
    const reader = await con.runAndReadAll(`SELECT ${select} FROM read_parquet(${quoteString(filePath)})${lim}`);
    return reader.getRowObjectsJson() as Record<string, string | null>[];
  });
}

export async function readParquetColumns(filePath: string): Promise<ParquetColumnInfo[]> {
  return withParquetConnection(async (con) => {
    const reader = await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteString(filePath)})`);
    return (reader.getRowObjectsJson() as { column_name: string; column_type: string }[]).map((r) => ({
      name: r.column_name,
      duckdbType: r.column_type,
    }));
  });
}

/** The file's key/value metadata as text. */
export async function readParquetKvMetadata(filePath: string): Promise<Record<string, string>> {
  return withParquetConnection(async (con) => {
    const reader = await con.runAndReadAll(
      `SELECT decode(key) AS key, decode(value) AS value FROM parquet_kv_metadata(${quoteString(filePath)})`,
    );
    const out: Record<string, string> = {};
    for (const r of reader.getRowObjectsJson() as { key: string; value: string }[]) out[r.key] = r.value;
    return out;
  });
}

export async function countParquetRows(filePath: string): Promise<number> {
  return withParquetConnection(async (con) => {
    const reader = await con.runAndReadAll(`SELECT count(*)::VARCHAR AS n FROM read_parquet(${quoteString(filePath)})`);
    return Number((reader.getRowObjectsJson()[0] as { n: string }).n);
  });
}
