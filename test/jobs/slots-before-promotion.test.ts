// A job's worker slot is free as soon as its worker exits: the next queued job is claimed
// before the finished job's promotion (which runs in the server process and needs no worker),
// not after it. At 1M messages the promotion took ~4 s during which the next job (the
// confirmations) waited with every worker slot idle.
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { stagingDirFor } from '../../lib/server/jobs/job-paths';
import { filesUnder, until } from '../reliability/crash-harness';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

describe('worker slots and promotion', () => {
  let env: JobsEnv | undefined;
  let dispatcher: Dispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('claims the next job before the finished job is promoted (one slot)', async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100, retryBaseMs: 50 }));
    const first = await uploadFile(env, buildFixLog({ orders: 40 }), { kind: 'fix', filename: 'first.fix' });
    const second = await uploadFile(env, buildFixLog({ orders: 41 }), { kind: 'fix', filename: 'second.fix' });
    const released: string[] = [];
    dispatcher.events.on('released', (e: { jobId: string }) => released.push(e.jobId));
    await dispatcher.start();
    const a = await waitForJob(env.db, first.job_ids[0], isFinal);
    const b = await waitForJob(env.db, second.job_ids[0], isFinal);
    expect(a.error_code, a.error_message ?? '').toBeNull();
    expect(b.error_code, b.error_message ?? '').toBeNull();
    expect(a.promoted_at).not.toBeNull();
    expect(b.promoted_at).not.toBeNull();
    // Both ran, one at a time on the worker side, in upload order. 'released' is emitted once
    // releaseAttempt returns, after the promotion has committed: a job can be final in the
    // database before its event (seen once in CI), so the events are awaited, not assumed.
    await until(() => released.length === 2, 'both attempts released', 30_000);
    expect(released).toEqual([a.id, b.id]);
    // started_at and promoted_at are their transactions' start times; the write lock orders
    // them: the second job's claim committed before the first job's promotion began.
    expect(Date.parse(b.started_at!)).toBeLessThanOrEqual(Date.parse(a.promoted_at!));
  });

  it('merges a finished byte-range job while a long transaction holds the write lock', async () => {
    // The claim round started when the ranges' workers exit waits for the write lock; the merge
    // of the ranges needs no lock and must not wait behind it (a break detection pass can hold
    // the lock for minutes).
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 2, rangeWorkers: 2, rangeMinBytes: 1, pollMs: 100, breakDetection: false }));
    const spawned: number[] = [];
    dispatcher.events.on('spawned', (e: { pid: number }) => spawned.push(e.pid));
    await dispatcher.start();
    const upload = await uploadFile(env, buildFixLog({ orders: 300 }), { kind: 'fix', filename: 'ranges.fix' });
    const jobId = upload.job_ids[0];
    await until(() => spawned.length === 2, 'both range workers spawned', 60_000);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const held = env.db.transaction(() => gate);
    try {
      // The merged layout (valid-000.parquet, valid-001.parquet) appears while the lock is held.
      const staging = stagingDirFor(env.dataDir, jobId);
      await until(() => filesUnder(staging).some((f) => path.basename(f) === 'valid-001.parquet'), 'the ranges merged', 30_000);
      // Merged, its promotion waits for the lock: the job page shows it promoting, on no worker slot.
      await until(() => dispatcher!.promotionOf(jobId)?.phase === 'promoting', 'the job shown promoting', 30_000);
      expect(dispatcher.workerSlots()).toEqual({ slots: 2, in_use: 0, job_ids: [] });
    } finally {
      release();
      await held;
    }
    const job = await waitForJob(env.db, jobId, isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    expect(job.promoted_at).not.toBeNull();
  });
});
