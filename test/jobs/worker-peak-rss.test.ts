// A worker reports its own peak memory, not its parent's. getrusage's maxrss survives execve, so
// a worker forked from a server holding a lot of memory used to report the server's size at fork
// time (a confirmations worker of a 58 MB file "peaked" at 3.4 GB in the end-to-end benchmark).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const PARENT_BALLAST_MB = 1200;

describe('worker peak memory', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;
  let ballast: Buffer | null = null;

  beforeAll(async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100, retryBaseMs: 50 }));
  });

  afterAll(async () => {
    ballast = null;
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('is the worker process own high-water mark, not the forking server', async () => {
    // Resident, touched memory in the process that forks the worker.
    ballast = Buffer.allocUnsafe(PARENT_BALLAST_MB * 1024 * 1024).fill(7);
    await dispatcher.start();
    const upload = await uploadFile(env, buildFixLog({ orders: 20 }), { kind: 'fix', filename: 'small.fix' });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    const workers = (job.metrics as { workers?: { peak_rss_mb: number | null }[] }).workers ?? [];
    expect(workers).toHaveLength(1);
    expect(ballast.length).toBe(PARENT_BALLAST_MB * 1024 * 1024);
    // A worker parsing 60 messages needs a few hundred MB at most (Node, tsx, DuckDB).
    expect(workers[0].peak_rss_mb).toBeGreaterThan(20);
    expect(workers[0].peak_rss_mb).toBeLessThan(PARENT_BALLAST_MB / 2);
  });
});
