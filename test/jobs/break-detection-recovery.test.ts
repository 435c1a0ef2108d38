// Break detection after a promotion survives a server stop: the queue of pending passes lives in
// memory, so a dispatcher starting up schedules every promoted job that no pass has covered yet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob } from '../../db/jobs/job-queries';
import { createDispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { buildFixLog } from './fix-fixture';
import { isFinal, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const detectedAt = async (env: JobsEnv, id: string) =>
  ((await getJob(env.db, id))!.metrics as Record<string, unknown>).breaks_detected_at as string | undefined;

describe('break detection recovery', () => {
  let env: JobsEnv;

  beforeAll(async () => {
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
  });

  afterAll(async () => {
    await env?.cleanup();
  });

  it('runs the pass a stopped server never ran for a promoted job, once', async () => {
    // A server that promotes and stops before its detection pass (no pass at all here).
    const first = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 100, retryBaseMs: 50, breakDetection: false });
    await first.start();
    const upload = await uploadFile(env, buildFixLog({ orders: 10 }), { kind: 'fix', filename: 'before-stop.fix' });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.promoted_at).not.toBeNull();
    await first.stop();
    expect(await detectedAt(env, job.id)).toBeUndefined();

    const second = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 100, retryBaseMs: 50 });
    await second.start();
    await second.breakDetectionIdle();
    await second.stop();
    const stamped = await detectedAt(env, job.id);
    expect(stamped).toEqual(expect.any(String));

    // Covered now: the next start does not run it again.
    const third = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 100, retryBaseMs: 50 });
    await third.start();
    await third.breakDetectionIdle();
    await third.stop();
    expect(await detectedAt(env, job.id)).toBe(stamped);
  });
});
