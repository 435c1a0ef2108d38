// A job whose every attempt fails is retried with backoff until its attempts are used up,
// then FAILED with the last attempt's error; nothing is promoted and staging is empty.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAttempts } from '../../db/jobs/attempt-queries';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { buildFixLog } from './fix-fixture';
import { isFinal, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

describe('attempts used up', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher | undefined;
  const previous = process.env.JOB_MAX_ATTEMPTS;

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
    if (previous === undefined) delete process.env.JOB_MAX_ATTEMPTS;
    else process.env.JOB_MAX_ATTEMPTS = previous;
  });

  it('fails the job after JOB_MAX_ATTEMPTS failed attempts', async () => {
    process.env.JOB_MAX_ATTEMPTS = '2';
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
    const upload = await uploadFile(env, buildFixLog({ orders: 2 }), { kind: 'fix', filename: 'gone.fix' });
    // The stored upload disappears (disk trouble): every attempt's worker fails to read it.
    rmSync(path.join(env.dataDir, 'uploads', upload.sha256));
    dispatcher = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 50, retryBaseMs: 50 });
    await dispatcher.start();
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal, 60_000);
    expect(job.status).toBe('FAILED');
    expect(job.attempts).toBe(2);
    expect(job.error_code).toBe('job.worker_error');
    expect(job.promoted_at).toBeNull();
    expect((await listAttempts(env.db, job.id)).map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'failed', 'job.worker_error'],
      [2, 'failed', 'job.worker_error'],
    ]);
    const audit = await env.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE subject = ? ORDER BY seq`, [`job:${job.id}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.enqueued', 'job.attempt_failed', 'job.failed']);
    expect(readdirSync(path.join(env.dataDir, 'staging'))).toEqual([]);
  });
});
