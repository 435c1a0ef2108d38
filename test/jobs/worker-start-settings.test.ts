// The settings a worker process starts with (lib/server/jobs/worker-env.ts), read from what real
// forked workers report of themselves (metrics.workers[0]), not from what the dispatcher meant to
// give them:
// - DuckDB's allocator gives freed pages back at once: a FIX range's peak RSS fell from 896 to
//   570 MiB with it. An operator's own DUCKDB_JE_MALLOC_CONF is passed on unchanged.
// - V8's young generation has 64 MiB semi-spaces: a FIX range of the 1M benchmark took 6.9
//   instead of 7.8 CPU-s. WORKER_MAX_SEMI_SPACE_MB sets another size, 0 leaves V8's default.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import {
  ownMaxSemiSpaceMb,
  WORKER_DUCKDB_ALLOCATOR_CONF,
  WORKER_MAX_SEMI_SPACE_MB,
  workerEnv,
  workerExecArgv,
} from '../../lib/server/jobs/worker-env';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const VARIABLES = ['DUCKDB_JE_MALLOC_CONF', 'WORKER_MAX_SEMI_SPACE_MB'] as const;
const BEFORE = new Map(VARIABLES.map((n) => [n, process.env[n]]));

function restoreEnv(): void {
  for (const [n, v] of BEFORE) {
    if (v === undefined) delete process.env[n];
    else process.env[n] = v;
  }
}

describe('the settings a worker starts with', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;
  let uploads = 0;

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

  /** What the one worker of a small FIX job reported of itself. */
  async function reportOfAWorker(): Promise<Record<string, unknown>> {
    uploads++;
    // A different file each time: an upload of bytes already uploaded starts no new job.
    const upload = await uploadFile(env, buildFixLog({ orders: 2 + uploads }), { kind: 'fix', filename: `orders-${uploads}.fix` });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    const workers = (job.metrics as { workers?: Record<string, unknown>[] }).workers ?? [];
    expect(workers).toHaveLength(1);
    return workers[0];
  }

  describe('DuckDB allocator', () => {
    it('returns freed pages at once when the server has no setting of its own', async () => {
      delete process.env.DUCKDB_JE_MALLOC_CONF;
      expect((await reportOfAWorker()).duckdb_allocator_conf).toBe(WORKER_DUCKDB_ALLOCATOR_CONF);
      expect(WORKER_DUCKDB_ALLOCATOR_CONF).toBe('dirty_decay_ms:0,muzzy_decay_ms:0');
    });

    it("is the operator's DUCKDB_JE_MALLOC_CONF when the server was started with one", async () => {
      process.env.DUCKDB_JE_MALLOC_CONF = 'dirty_decay_ms:500,muzzy_decay_ms:500';
      expect((await reportOfAWorker()).duckdb_allocator_conf).toBe('dirty_decay_ms:500,muzzy_decay_ms:500');
    });

    it('leaves the rest of the environment as it is and does not change the server\'s own', () => {
      const base = { PATH: '/bin', WORKBENCH_PARQUET_MEMORY: '256MB' };
      expect(workerEnv(base)).toEqual({ ...base, DUCKDB_JE_MALLOC_CONF: WORKER_DUCKDB_ALLOCATOR_CONF });
      expect(base).toEqual({ PATH: '/bin', WORKBENCH_PARQUET_MEMORY: '256MB' });
    });
  });

  describe('V8 young generation', () => {
    it('is 64 MiB when the server has no setting', async () => {
      delete process.env.WORKER_MAX_SEMI_SPACE_MB;
      expect(WORKER_MAX_SEMI_SPACE_MB).toBe(64);
      expect((await reportOfAWorker()).max_semi_space_mb).toBe(64);
    });

    it('is the size WORKER_MAX_SEMI_SPACE_MB gives', async () => {
      process.env.WORKER_MAX_SEMI_SPACE_MB = '32';
      expect((await reportOfAWorker()).max_semi_space_mb).toBe(32);
    });

    it('is V8 default when WORKER_MAX_SEMI_SPACE_MB is 0', async () => {
      process.env.WORKER_MAX_SEMI_SPACE_MB = '0';
      expect((await reportOfAWorker()).max_semi_space_mb).toBeNull();
    });

    it('ignores a setting that is not a whole number of MiB', () => {
      for (const bad of ['64MB', '-1', '1.5', 'x', '4096', ' ']) {
        expect(workerExecArgv({ WORKER_MAX_SEMI_SPACE_MB: bad })).toEqual(['--import', 'tsx', '--max-semi-space-size=64']);
      }
      expect(workerExecArgv({})).toEqual(['--import', 'tsx', '--max-semi-space-size=64']);
      // The prebuilt bundle (worker-bundle.ts) starts without tsx, with the same young generation.
      expect(workerExecArgv({}, { bundle: true })).toEqual(['--max-semi-space-size=64']);
    });

    it('reads the last semi-space flag of a command line', () => {
      expect(ownMaxSemiSpaceMb(['--import', 'tsx'])).toBeNull();
      expect(ownMaxSemiSpaceMb(['--max-semi-space-size=16', '--max-semi-space-size=48'])).toBe(48);
    });
  });
});
