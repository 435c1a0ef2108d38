// Deterministic crash points (issue 10), each tested: the process that reaches a named fault
// point (worker/fault-points.ts, armed by WORKBENCH_FAULT_POINT) kills itself with SIGKILL there.
//   worker: after the first batch; after a Parquet file is written (fsynced), before its rename;
//           after every file is renamed into staging, before the result is sent.
//   server: inside the promotion transaction with every row loaded, before COMMIT; after COMMIT,
//           before the renames into the warehouse.
// Worker points fire once (WORKBENCH_FAULT_ONCE marker): the retry runs clean. Server points kill
// the server; the test inspects the database between the crash and the restart, then restarts
// the server without the fault. A small FIX job (3,000 orders, with quarantined rows and parse
// errors, so every kind of staged file exists) keeps this file short; the 200k-message job is
// the crash loop's (crash-loop.test.ts).
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFixLog } from '../jobs/fix-fixture';
import {
  checkEnd,
  cleanRun,
  filesUnder,
  freshDataDir,
  Host,
  makeTemplate,
  openDataDir,
  partialFilesOutsideStaging,
  runHostToEnd,
  visibleOutput,
  warehouseProblems,
  type JobOutcome,
  type Template,
} from './crash-harness';

let t: Template;
let clean: JobOutcome;

beforeAll(async () => {
  const fix = path.join(tmpdir(), `wb-fault-points-${process.pid}.fix`);
  writeFileSync(fix, buildFixLog({ orders: 3000, badPriceEvery: 500, garbledLines: 3 }));
  try {
    t = await makeTemplate({ fixFile: fix });
  } finally {
    rmSync(fix, { force: true });
  }
  clean = (await cleanRun(t)).outcome;
  expect(clean.rows).toMatchObject({ fix_order_events: 8994, fix_order_events_quarantine: 6, fix_session_events: 1, parse_errors: 3 });
}, 300_000);

afterAll(() => {
  if (t) rmSync(t.root, { recursive: true, force: true });
});

describe('deterministic worker fault points (the worker is killed there once; the retry completes)', () => {
  for (const point of ['after_first_batch', 'parquet_written', 'parquet_renamed'] as const) {
    it(`${point}: the job is retried and ends like the clean run, nothing partial visible`, async () => {
      const dataDir = freshDataDir(t, point);
      const marker = path.join(t.root, `${point}.fired`);
      const seen = await runHostToEnd(new Host(dataDir, { WORKBENCH_FAULT_POINT: point, WORKBENCH_FAULT_ONCE: marker }), dataDir, t.jobId, clean.rows);
      expect(existsSync(marker)).toBe(true); // the fault fired
      expect(seen).toEqual([]);
      const end = await checkEnd(dataDir, t.jobId, clean, point, []);
      expect(end.attempts).toEqual([
        [1, 'failed', 'job.worker_crashed'],
        [2, 'completed', null],
      ]);
      rmSync(dataDir, { recursive: true, force: true });
    }, 300_000);
  }
});

describe('deterministic server fault points (the server is killed there, then restarted)', () => {
  it('promotion_before_commit: nothing is visible, the restart re-runs the job', async () => {
    const dataDir = freshDataDir(t, 'before-commit');
    const first = new Host(dataDir, { WORKBENCH_FAULT_POINT: 'promotion_before_commit' });
    expect((await first.exited).signal).toBe('SIGKILL');
    const db = await openDataDir(dataDir);
    try {
      const v = await visibleOutput((sql, params) => db.all(sql, params), t.jobId);
      expect(v.status).toBe('RUNNING');
      expect(v.promoted).toBe(false);
      expect(Object.values(v.rows).every((n) => n === 0)).toBe(true);
      // The staged files were complete; none reached the warehouse.
      expect(filesUnder(path.join(dataDir, 'staging', t.jobId))).toEqual(expect.arrayContaining([path.join('fix_order_events', 'valid.parquet')]));
      expect(filesUnder(path.join(dataDir, 'warehouse'))).toEqual([]);
      expect(partialFilesOutsideStaging(dataDir)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(await runHostToEnd(new Host(dataDir), dataDir, t.jobId, clean.rows)).toEqual([]);
    const end = await checkEnd(dataDir, t.jobId, clean, 'promotion_before_commit', []);
    expect(end.attempts).toEqual([
      [1, 'abandoned', 'job.abandoned'],
      [2, 'completed', null],
    ]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);

  it('promotion_after_commit: the output is visible whole, the restart finishes the renames without re-running', async () => {
    const dataDir = freshDataDir(t, 'after-commit');
    const first = new Host(dataDir, { WORKBENCH_FAULT_POINT: 'promotion_after_commit' });
    expect((await first.exited).signal).toBe('SIGKILL');
    const db = await openDataDir(dataDir);
    try {
      const v = await visibleOutput((sql, params) => db.all(sql, params), t.jobId);
      expect(v.status).toBe(clean.status);
      expect(v.promoted).toBe(true);
      expect(v.rows).toEqual(clean.rows);
      // Committed, not yet renamed: the files are still in staging, the warehouse has none of them.
      expect(existsSync(path.join(dataDir, 'staging', t.jobId))).toBe(true);
      expect(filesUnder(path.join(dataDir, 'warehouse'))).toEqual([]);
      expect(await warehouseProblems(db, dataDir, t.jobId, false)).toEqual([]);
      expect(partialFilesOutsideStaging(dataDir)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(await runHostToEnd(new Host(dataDir), dataDir, t.jobId, clean.rows)).toEqual([]);
    const end = await checkEnd(dataDir, t.jobId, clean, 'promotion_after_commit', []);
    expect(end.attempts).toEqual([[1, 'completed', null]]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 300_000);
});
