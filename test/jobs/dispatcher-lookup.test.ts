// The pages reach the process's dispatcher through a lookup on globalThis (Next.js bundles route
// handlers apart from instrumentation, which starts the dispatcher): where its break-detection
// passes are, and its worker slots. Started as the server starts it (startDispatcher), with one
// worker slot and two real FIX jobs: while the first one's worker runs, the second is shown
// waiting for that slot; at the first one's release its pass is queued; once recorded, nothing;
// stopped, no lookup.
import { afterAll, describe, expect, it } from 'vitest';
import { dispatcherLookup, type WorkerSlotsView } from '../../lib/server/jobs/dispatcher-lookup';
import type { BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import { startDispatcher, stopDispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { breakDetectionView, jobDetailView, type JobDetailView } from '../../lib/server/jobs/job-views';
import { describeQueue, queueBrief } from '../../app/jobs/job-format';
import { currentBreakPass } from '../../lib/server/breaks/break-pass-status';
import { buildFixLog } from './fix-fixture';
import { openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

let env: JobsEnv | undefined;
afterAll(async () => {
  await stopDispatcher();
  await env?.cleanup();
});

describe('the lookup of the process dispatcher', () => {
  it('shows a queued job the slots it waits for, a promoted job its pass, then nothing, and goes with the dispatcher', async () => {
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
    expect(dispatcherLookup()).toBeUndefined();
    // Both uploads are queued before the dispatcher starts: the first is claimed first.
    const first = (await uploadFile(env, buildFixLog({ orders: 10 }), { kind: 'fix', filename: 'a.fix' })).job_ids[0];
    const second = (await uploadFile(env, buildFixLog({ orders: 12 }), { kind: 'fix', filename: 'b.fix' })).job_ids[0];
    const queuedBefore = await jobDetailView(env.db, second);
    // Without a dispatcher in the process: its place in the claim order, no slots.
    expect(queuedBefore?.queue).toEqual({ ahead: 1, run_after: null, slots: null });
    expect(describeQueue(queuedBefore!.queue!)).toBe('1 job ahead of it');
    expect(queueBrief(queuedBefore!.queue)).toBe('waiting · 1 ahead');

    const db = env.db;
    const dispatcher = await startDispatcher({ db, dataDir: env.dataDir, concurrency: 1, pollMs: 50 });
    const lookup = dispatcherLookup();
    expect(lookup).toBeDefined();

    let slotsAtSpawn: WorkerSlotsView | undefined;
    let secondWhileFirstRuns: Promise<JobDetailView | null> | undefined;
    dispatcher.events.on('spawned', (e: { jobId: string }) => {
      if (e.jobId !== first) return;
      slotsAtSpawn = dispatcherLookup()!.workerSlots();
      // The second job stays QUEUED until the first one's worker has exited (one slot).
      secondWhileFirstRuns = jobDetailView(db, second, dispatcherLookup());
    });
    let passAtRelease: BreakPassView | null | undefined;
    let currentAtRelease: BreakPassView | null | undefined;
    dispatcher.events.on('released', (e: { jobId: string }) => {
      if (e.jobId !== first) return;
      passAtRelease = dispatcherLookup()?.breakPassOf(first);
      currentAtRelease = currentBreakPass();
    });

    // Between its workers' exit and its release, the first job is shown being promoted.
    const promotions: string[] = [];
    const watch = setInterval(() => {
      const p = dispatcherLookup()?.promotionOf(first);
      if (p && promotions[promotions.length - 1] !== p.phase) promotions.push(p.phase);
    }, 5);
    const done = (j: { metrics: Record<string, unknown> | null }) => typeof j.metrics?.breaks_detected_at === 'string';
    const firstJob = await waitForJob(db, first, done);
    clearInterval(watch);
    expect(promotions).toEqual(['promoting']);
    expect(lookup!.promotionOf(first)).toBeNull();
    await waitForJob(db, second, done);

    expect(slotsAtSpawn).toEqual({ slots: 1, in_use: 1, job_ids: [first] });
    const waiting = await secondWhileFirstRuns!;
    expect(waiting?.status).toBe('QUEUED');
    expect(waiting?.queue).toEqual({ ahead: 0, run_after: null, slots: { slots: 1, in_use: 1, job_ids: [first] } });
    expect(describeQueue(waiting!.queue!)).toBe(`waits for a worker: 1 of 1 in use (job ${first.slice(0, 8)})`);
    // Scheduled at its promotion: queued (or already waiting for the writer), never unknown.
    expect(passAtRelease?.job_ids).toContain(first);
    expect(['queued', 'running']).toContain(passAtRelease?.phase);
    // What the breaks page shows meanwhile: that pass (no other is running or queued).
    expect(currentAtRelease).toEqual(passAtRelease);

    expect(lookup!.breakPassOf(first)).toBeNull();
    expect(breakDetectionView(firstJob, lookup)?.state).toBe('done');
    const detail = await jobDetailView(db, first, lookup);
    expect(detail?.queue).toBeNull();
    expect(detail?.break_detection?.steps?.length).toBeGreaterThan(10);
    expect(lookup!.workerSlots()).toEqual({ slots: 1, in_use: 0, job_ids: [] });
    expect(currentBreakPass()).toBeNull();

    await stopDispatcher();
    expect(dispatcherLookup()).toBeUndefined();
  });
});

describe('a queued job waiting for its retry time', () => {
  it('has no place in the claim order until then, and says when it is tried again', async () => {
    const e = await openJobsEnv();
    try {
      await seedDefaultContracts(e.db);
      const a = (await uploadFile(e, buildFixLog({ orders: 3 }), { kind: 'fix', filename: 'a.fix' })).job_ids[0];
      const b = (await uploadFile(e, buildFixLog({ orders: 4 }), { kind: 'fix', filename: 'b.fix' })).job_ids[0];
      await e.db.run(`UPDATE jobs SET run_after = TIMESTAMPTZ '2099-01-02 03:04:05+00' WHERE id = ?`, [a]);
      const retried = await jobDetailView(e.db, a);
      expect(retried?.queue).toEqual({ ahead: null, run_after: '2099-01-02T03:04:05Z', slots: null });
      expect(describeQueue(retried!.queue!)).toBe('waits to be tried again, not before 2099-01-02 03:04:05 (UTC)');
      expect(queueBrief(retried!.queue)).toBe('waiting to be tried again');
      // The job created after it is claimed first now.
      expect((await jobDetailView(e.db, b))?.queue?.ahead).toBe(0);
      const free = { ahead: 2, run_after: null, slots: { slots: 2, in_use: 1, job_ids: [b] } };
      expect(describeQueue(free)).toBe('starts when claimed: 1 worker slot of 2 free; 2 jobs ahead of it');
    } finally {
      await e.cleanup();
    }
  });
});
