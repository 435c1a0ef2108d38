// I/O faults (issue 10): a disk-full (ENOSPC) or EIO on the Parquet write, its fsync or its
// rename ends the job FAILED with a stable io.* code, leaves nothing partial (no rows, no file
// outside staging, staging empty), and the next job succeeds. Faults are injected at the fs call
// sites through WORKBENCH_FAULT_IO (worker/fault-points.ts), inherited by the real worker
// processes; the errno → io.* mapping (worker/io-errors.ts) is also checked on real errors:
// a write to /dev/full from Node and a DuckDB COPY to /dev/full.
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withParquetConnection } from '../../db/parquet/parquet-engine';
import type { JobRow } from '../../db/jobs/job-row';
import { listAttempts } from '../../db/jobs/attempt-queries';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { ioFailureOf } from '../../worker/io-errors';
import { buildFixLog } from '../jobs/fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from '../jobs/job-harness';
import { filesUnder, until, visibleOutput } from './crash-harness';

const FAULT_ENV = ['WORKBENCH_FAULT_IO', 'WORKBENCH_FAULT_ONCE', 'JOB_MAX_ATTEMPTS'] as const;

describe('I/O faults during a job', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher | undefined;
  const saved: Record<string, string | undefined> = {};
  let uploads = 0;

  beforeEach(async () => {
    for (const k of FAULT_ENV) saved[k] = process.env[k];
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 50, retryBaseMs: 50, breakDetection: false }));
    await dispatcher.start();
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
    for (const k of FAULT_ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  /**
   * A new FIX upload (distinct bytes each time, so a new job) run to its end: final, and released
   * by the dispatcher (staging is cleaned up just after the final status commits).
   */
  async function runJob(): Promise<JobRow> {
    uploads++;
    const released = new Set<string>();
    const onReleased = (e: { jobId: string; status: string }) => {
      if (e.status !== 'QUEUED') released.add(e.jobId);
    };
    dispatcher!.events.on('released', onReleased);
    try {
      const upload = await uploadFile(env, buildFixLog({ orders: 150 + uploads, badPriceEvery: 50, garbledLines: 1 }), { kind: 'fix', filename: `io-${uploads}.fix` });
      const id = upload.job_ids[0];
      await until(() => released.has(id), `the release of job ${id}`, 120_000);
      return await waitForJob(env.db, id, isFinal, 10_000);
    } finally {
      dispatcher!.events.off('released', onReleased);
    }
  }

  async function expectNothingPartial(job: JobRow): Promise<void> {
    const v = await visibleOutput((sql, params) => env.db.all(sql, params), job.id);
    expect(Object.values(v.rows).every((n) => n === 0)).toBe(true);
    expect(v.promoted).toBe(false);
    const pe = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM parse_errors WHERE job_id = ?`, [job.id]);
    expect(Number(pe[0].n)).toBe(0);
    const staging = path.join(env.dataDir, 'staging');
    expect(existsSync(staging) ? readdirSync(staging) : []).toEqual([]);
    // Outside the stored uploads, no file at all: no warehouse file, no temporary Parquet.
    expect(filesUnder(env.dataDir).filter((f) => !f.startsWith('uploads') && !f.startsWith('workbench.duckdb'))).toEqual([]);
  }

  async function expectNextJobSucceeds(): Promise<void> {
    for (const k of FAULT_ENV) delete process.env[k];
    const next = await runJob();
    expect(next.status).toBe('PARTIAL_SUCCESS'); // the fixture's bad prices are quarantined
    expect(next.error_code).toBeNull();
  }

  const cases = [
    { fault: 'parquet_write:ENOSPC', code: 'io.disk_full' },
    { fault: 'parquet_fsync:ENOSPC', code: 'io.disk_full' },
    { fault: 'parquet_rename:ENOSPC', code: 'io.disk_full' },
  ] as const;
  for (const c of cases) {
    it(`${c.fault}: FAILED ${c.code} at once (a full disk is not retried), nothing partial, the next job succeeds`, async () => {
      process.env.WORKBENCH_FAULT_IO = c.fault;
      const job = await runJob();
      expect([job.status, job.error_code]).toEqual(['FAILED', c.code]);
      expect(job.error_message).toMatch(/^disk full \(ENOSPC on /);
      expect((await listAttempts(env.db, job.id)).map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([[1, 'failed', c.code]]);
      await expectNothingPartial(job);
      await expectNextJobSucceeds();
    }, 240_000);
  }

  it('parquet_write:EIO: retried, then FAILED io.error when the attempts are used up, nothing partial, the next job succeeds', async () => {
    process.env.WORKBENCH_FAULT_IO = 'parquet_write:EIO';
    process.env.JOB_MAX_ATTEMPTS = '2';
    const job = await runJob();
    expect([job.status, job.error_code]).toEqual(['FAILED', 'io.error']);
    expect(job.error_message).toBe('I/O error (EIO on write)');
    expect((await listAttempts(env.db, job.id)).map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'failed', 'io.error'],
      [2, 'failed', 'io.error'],
    ]);
    await expectNothingPartial(job);
    await expectNextJobSucceeds();
  }, 240_000);

  for (const fault of ['parquet_fsync:EIO', 'parquet_rename:EIO']) {
    it(`${fault} once (transient): the attempt fails io.error, the retry succeeds`, async () => {
      process.env.WORKBENCH_FAULT_IO = fault;
      process.env.WORKBENCH_FAULT_ONCE = path.join(env.root, 'eio.fired');
      const job = await runJob();
      expect(existsSync(process.env.WORKBENCH_FAULT_ONCE)).toBe(true);
      expect([job.status, job.error_code]).toEqual(['PARTIAL_SUCCESS', null]);
      expect((await listAttempts(env.db, job.id)).map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
        [1, 'failed', 'io.error'],
        [2, 'completed', null],
      ]);
      expect(readdirSync(path.join(env.dataDir, 'staging'))).toEqual([]);
    }, 240_000);
  }
});

describe('io.* codes of real I/O errors', () => {
  it('maps a real ENOSPC from Node (a write to /dev/full) to io.disk_full', async () => {
    const e = await writeFile('/dev/full', 'x').then(() => null, (err: unknown) => err);
    expect((e as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(ioFailureOf(e)).toEqual({ code: 'io.disk_full', message: 'disk full (ENOSPC on write)', retryable: false });
  });

  it('maps a real disk-full from a DuckDB Parquet COPY (to /dev/full) to io.disk_full', async () => {
    const e = await withParquetConnection((con) => con.run(`COPY (SELECT range AS n FROM range(100000)) TO '/dev/full' (FORMAT parquet)`)).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).not.toBeNull();
    expect(ioFailureOf(e)?.code).toBe('io.disk_full');
  });

  it('maps EIO to a retryable io.error, and leaves other errors alone', () => {
    const eio = Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', syscall: 'fsync' });
    expect(ioFailureOf(eio)).toEqual({ code: 'io.error', message: 'I/O error (EIO on fsync)', retryable: true });
    expect(ioFailureOf(new Error('wrapped', { cause: eio }))?.code).toBe('io.error');
    expect(ioFailureOf(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' }))).toBeNull();
    expect(ioFailureOf(new Error('Conversion Error: could not convert'))).toBeNull();
  });
});
