import type { Db } from '../open';

/** Rows per chunk handed to JavaScript: a few MB of candidate rows (their evidence JSON included). */
export const CANDIDATE_CHUNK_ROWS = 5000;

/**
 * Runs a query into a temp table, then hands its rows to `each` one chunk at a time, in the
 * query's order (readTableInChunks). JavaScript then holds one chunk of a step's results, never
 * all of them: at 10M messages the lifecycle step's candidates alone took 0.4 GB of heap when read
 * whole, and a day of fills without confirmations is a row each. `table` names the temp table,
 * dropped afterwards.
 */
export async function readInChunks<T>(
  db: Db,
  table: string,
  query: { sql: string; params?: unknown[] },
  each: (rows: T[]) => Promise<void>,
  chunkRows = CANDIDATE_CHUNK_ROWS,
): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${query.sql}`, query.params);
  try {
    await readTableInChunks(db, table, each, chunkRows);
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * Hands a table's rows to `each` one chunk at a time, in row id order (the order they were
 * inserted in), each chunk from where the previous one ended. The table is not changed while
 * it is read.
 */
export async function readTableInChunks<T>(db: Db, table: string, each: (rows: T[]) => Promise<void>, chunkRows = CANDIDATE_CHUNK_ROWS): Promise<void> {
  let from = 0;
  for (;;) {
    const rows = await db.all<T & { _chunk_rid: string | number }>(
      `SELECT rowid AS _chunk_rid, * FROM ${table} WHERE rowid >= ? ORDER BY rowid LIMIT ?`,
      [from, chunkRows],
    );
    if (rows.length === 0) return;
    from = Number(rows[rows.length - 1]._chunk_rid) + 1;
    await each(rows.map(({ _chunk_rid: _, ...row }) => row as unknown as T));
    if (rows.length < chunkRows) return;
  }
}
