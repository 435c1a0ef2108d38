// Found by the crash loop: after a server crash, rows committed only to the WAL of a table with
// a secondary index were replayed at the next open and then checkpointed at close; deleting them
// later failed FATAL in DuckDB ("Failed to delete all rows from index") and invalidated the whole
// database (every later query failed). openDatabase now checkpoints right after the replay.
// A real process writes and is killed (a crash cannot be simulated inside the test's process).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/open';

describe('reopening after a crash', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('keeps rows written before a crash deletable after the database is reopened and closed', async () => {
    root = mkdtempSync(path.join(tmpdir(), 'wb-reopen-'));
    const dataDir = path.join(root, 'data');
    const migrationsDir = path.join(root, 'migrations');
    mkdirSync(migrationsDir, { recursive: true });
    // The shape of job_observed_schemas (007), where the crash loop met it: a primary key and a secondary index.
    writeFileSync(
      path.join(migrationsDir, '001_observed.sql'),
      `CREATE TABLE observed (job_id VARCHAR NOT NULL, output VARCHAR NOT NULL, scope_id VARCHAR NOT NULL, observed VARCHAR, PRIMARY KEY (job_id, output));
CREATE INDEX observed_scope ON observed (scope_id);\n`,
    );
    const file = path.join(dataDir, 'workbench.duckdb');
    await (await openDatabase({ file, dataDir, migrationsDir })).close(); // migrated and checkpointed
    const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(process.cwd(), 'test', 'reliability', 'crash-fixtures', 'write-then-crash.ts'), file, dataDir, migrationsDir], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    expect(child.signal).toBe('SIGKILL');

    const replayed = await openDatabase({ file, dataDir, migrationsDir }); // WAL replay
    expect(await replayed.all(`SELECT count(*)::INTEGER AS n FROM observed`)).toEqual([{ n: 2 }]);
    await replayed.close(); // checkpoint at close

    const db = await openDatabase({ file, dataDir, migrationsDir });
    try {
      await db.transaction((tx) => tx.run(`DELETE FROM observed WHERE job_id = 'j1'`));
      expect(await db.all(`SELECT count(*)::INTEGER AS n FROM observed`)).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
