import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../db/open';

/**
 * A real "Out of Memory Error" from DuckDB: a list aggregate (which cannot spill) over a 32MB
 * memory_limit, in a database of its own that is removed again. For tests of what the server
 * does when DuckDB refuses for memory.
 */
export async function duckDbOutOfMemoryError(): Promise<Error> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'duckdb-oom-'));
  const previous = process.env.WORKBENCH_DB_MEMORY;
  process.env.WORKBENCH_DB_MEMORY = '32MB';
  try {
    const db = await openDatabase({ file: path.join(dir, 'small.duckdb'), dataDir: dir });
    try {
      return await db.all('SELECT list(range) AS l FROM range(20000000)').then(
        () => { throw new Error('expected DuckDB to run out of memory'); },
        (e: Error) => e,
      );
    } finally {
      await db.close();
    }
  } finally {
    if (previous === undefined) delete process.env.WORKBENCH_DB_MEMORY;
    else process.env.WORKBENCH_DB_MEMORY = previous;
    rmSync(dir, { recursive: true, force: true });
  }
}
