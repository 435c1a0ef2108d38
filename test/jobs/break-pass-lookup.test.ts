// The pages reach the passes of the process's dispatcher through a lookup on globalThis (Next.js
// bundles route handlers apart from instrumentation, which starts the dispatcher). Started as the
// server starts it (startDispatcher), a real FIX job is promoted by a real worker, and at its
// release the lookup already shows its pass; once recorded, nothing; stopped, no lookup.
import { afterAll, describe, expect, it } from 'vitest';
import { breakPassLookup } from '../../lib/server/jobs/break-pass-lookup';
import type { BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import { startDispatcher, stopDispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { breakDetectionView, jobDetailView } from '../../lib/server/jobs/job-views';
import { buildFixLog } from './fix-fixture';
import { openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

let env: JobsEnv | undefined;
afterAll(async () => {
  await stopDispatcher();
  await env?.cleanup();
});

describe('the break-pass lookup of the process dispatcher', () => {
  it('shows a promoted job its pass, then nothing once recorded, and goes with the dispatcher', async () => {
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
    expect(breakPassLookup()).toBeUndefined();
    const dispatcher = await startDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 50 });
    expect(breakPassLookup()).toBeTypeOf('function');

    let atRelease: BreakPassView | null | undefined;
    dispatcher.events.on('released', (e: { jobId: string }) => {
      atRelease = breakPassLookup()?.(e.jobId);
    });
    const upload = await uploadFile(env, buildFixLog({ orders: 10 }), { kind: 'fix', filename: 'day.fix' });
    const jobId = upload.job_ids[0];
    const job = await waitForJob(env.db, jobId, (j) => typeof j.metrics?.breaks_detected_at === 'string');
    // Scheduled at its promotion: queued (or already waiting for the writer), never unknown.
    expect(atRelease?.job_ids).toContain(jobId);
    expect(['queued', 'running']).toContain(atRelease?.phase);

    expect(breakPassLookup()!(jobId)).toBeNull();
    expect(breakDetectionView(job, breakPassLookup())?.state).toBe('done');
    const detail = await jobDetailView(env.db, jobId, breakPassLookup());
    expect(detail?.break_detection?.steps?.length).toBeGreaterThan(10);

    await stopDispatcher();
    expect(breakPassLookup()).toBeUndefined();
  });
});
