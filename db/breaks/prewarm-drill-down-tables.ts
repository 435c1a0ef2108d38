import { open } from 'node:fs/promises';
import type { Db } from '../open';
import { tableExists } from './breaks-db';

// After a detection pass, reads the blocks of the tables a drill-down and the breaks page read
// back into the OS page cache (what PostgreSQL's pg_prewarm does), so that the first opening of
// a chain after a pass does not wait for the disk.
//
// Why (issue 9, measured on a 10M-message database): a 10M pass reads and writes tens of
// gigabytes (the database, its spill files) and pushes these tables' pages out of the page
// cache. The first drill-downs after it then read 8–13 MB each from storage (391 MB over the
// benchmark's 50 in one run, none the second time), p95 51–74 ms over HTTP against 37–39 ms
// warm. Reading the same tables' blocks in file order takes ~2 s for 1.6 GB.
//
// The reads go through the file, not through DuckDB: a scan would decompress every column of
// 10M rows (CPU) and fill DuckDB's buffer pool, which the server's other queries share. The file
// offset of a block is DuckDB's single-file layout: three 4 KiB headers, then blocks of
// `block_size` bytes (test/breaks/prewarm-drill-down-tables.test.ts checks it against the
// file). If a DuckDB upgrade changed it, the reads would warm the wrong pages, slowing nothing
// but this function; that test fails first.

/** What a drill-down (chainsOf, chainSummary, chainMessages, chainFills, chainBreaks) and the breaks page read. */
export const DRILL_DOWN_TABLES = [
  'order_chain_members',
  'order_chains',
  'order_chain_messages',
  'order_fills',
  'counterparty_matches',
  'breaks',
] as const;

/** Byte offset of block 0 in a DuckDB database file (main header + two database headers). */
export const DUCKDB_BLOCK_START = 3 * 4096;

/** Largest single read (a run of adjacent blocks is read in pieces of at most this size). */
const MAX_READ_BYTES = 8 << 20;

export interface PrewarmResult {
  tables: number;
  blocks: number;
  bytes: number;
  ms: number;
}

export function blockFileOffset(blockId: number, blockSize: number): number {
  return DUCKDB_BLOCK_START + blockId * blockSize;
}

/**
 * The reads that cover the given blocks: block ids sorted and deduplicated, adjacent ones merged,
 * each read at most maxBytes (and at least one block) long.
 */
export function blockReadRuns(blockIds: readonly number[], blockSize: number, maxBytes = MAX_READ_BYTES): { offset: number; length: number }[] {
  const ids = [...new Set(blockIds)].sort((a, b) => a - b);
  const perRead = Math.max(1, Math.floor(maxBytes / blockSize));
  const runs: { offset: number; length: number }[] = [];
  let i = 0;
  while (i < ids.length) {
    let j = i;
    while (j + 1 < ids.length && ids[j + 1] === ids[j] + 1 && j + 1 - i < perRead) j++;
    runs.push({ offset: blockFileOffset(ids[i], blockSize), length: (j - i + 1) * blockSize });
    i = j + 1;
  }
  return runs;
}

/**
 * Reads the drill-down tables' blocks once, in file order, into the page cache. Returns null for
 * an in-memory database (nothing to read). Blocks freed or reused meanwhile by another writer
 * only make a read useless, never wrong: nothing read is used.
 */
export async function prewarmDrillDownTables(db: Db): Promise<PrewarmResult | null> {
  const started = performance.now();
  const [file] = await db.all<{ path: string | null; block_size: string }>(
    `SELECT d.path, s.block_size::VARCHAR AS block_size
     FROM duckdb_databases() d JOIN pragma_database_size() s USING (database_name)
     WHERE d.database_name = current_database()`,
  );
  if (!file?.path) return null;
  const blockSize = Number(file.block_size);
  const tables: string[] = [];
  const ids: number[] = [];
  for (const t of DRILL_DOWN_TABLES) {
    if (!(await tableExists(db, t))) continue;
    tables.push(t);
    // pragma_storage_info takes a constant table name; t is one of DRILL_DOWN_TABLES.
    const rows = await db.all<{ block_id: string }>(
      `SELECT DISTINCT block_id::VARCHAR AS block_id FROM pragma_storage_info('${t}') WHERE persistent AND block_id >= 0`,
    );
    for (const r of rows) ids.push(Number(r.block_id));
  }
  const runs = blockReadRuns(ids, blockSize);
  let bytes = 0;
  const handle = await open(file.path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(Math.max(...runs.map((r) => r.length), 0));
    for (const r of runs) bytes += (await handle.read(buffer, 0, r.length, r.offset)).bytesRead;
  } finally {
    await handle.close();
  }
  return { tables: tables.length, blocks: new Set(ids).size, bytes, ms: Math.round(performance.now() - started) };
}
