// Workers start with a 64 MiB semi-space for V8's young generation (lib/server/jobs/worker-env.ts):
// a FIX range of the 1M benchmark took 6.9 instead of 7.8 CPU-s with it. WORKER_MAX_SEMI_SPACE_MB
// sets another size, 0 leaves V8's default. The worker reports the size it was started with, so
// this reads what the real forked process saw, not what the dispatcher meant to give it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { WORKER_MAX_SEMI_SPACE_MB, ownMaxSemiSpaceMb, workerExecArgv } from '../../lib/server/jobs/worker-env';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const BEFORE = process.env.WORKER_MAX_SEMI_SPACE_MB;

function restoreEnv(): void {
  if (BEFORE === undefined) delete process.env.WORKER_MAX_SEMI_SPACE_MB;
  else process.env.WORKER_MAX_SEMI_SPACE_MB = BEFORE;
}

describe('the young generation a worker starts with', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100, retryBaseMs: 50 }));
    await dispatcher.start();
  });

  afterEach(restoreEnv);

  afterAll(async () => {
    restoreEnv();
    await dispatcher?.stop();
    await env?.cleanup();
  });

  async function semiSpaceOfAWorker(orders: number): Promise<unknown> {
    const upload = await uploadFile(env, buildFixLog({ orders }), { kind: 'fix', filename: `young-${orders}.fix` });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    const workers = (job.metrics as { workers?: { max_semi_space_mb?: unknown }[] }).workers ?? [];
    expect(workers).toHaveLength(1);
    return workers[0].max_semi_space_mb;
  }

  it('is 64 MiB when the server has no setting', async () => {
    delete process.env.WORKER_MAX_SEMI_SPACE_MB;
    expect(WORKER_MAX_SEMI_SPACE_MB).toBe(64);
    expect(await semiSpaceOfAWorker(3)).toBe(64);
  });

  it('is the size WORKER_MAX_SEMI_SPACE_MB gives', async () => {
    process.env.WORKER_MAX_SEMI_SPACE_MB = '32';
    expect(await semiSpaceOfAWorker(4)).toBe(32);
  });

  it('is V8 default when WORKER_MAX_SEMI_SPACE_MB is 0', async () => {
    process.env.WORKER_MAX_SEMI_SPACE_MB = '0';
    expect(await semiSpaceOfAWorker(5)).toBeNull();
  });

  it('ignores a setting that is not a whole number of MiB', () => {
    for (const bad of ['64MB', '-1', '1.5', 'x', '4096']) {
      expect(workerExecArgv({ WORKER_MAX_SEMI_SPACE_MB: bad })).toEqual(['--import', 'tsx', '--max-semi-space-size=64']);
    }
    expect(workerExecArgv({})).toEqual(['--import', 'tsx', '--max-semi-space-size=64']);
    expect(workerExecArgv({ WORKER_MAX_SEMI_SPACE_MB: ' ' })).toEqual(['--import', 'tsx', '--max-semi-space-size=64']);
  });

  it('reads the last semi-space flag of a command line', () => {
    expect(ownMaxSemiSpaceMb(['--import', 'tsx'])).toBeNull();
    expect(ownMaxSemiSpaceMb(['--max-semi-space-size=16', '--max-semi-space-size=48'])).toBe(48);
  });
});
