// Workers start with DuckDB's allocator giving freed pages back at once (lib/server/jobs/worker-env.ts):
// a FIX range's peak RSS fell from 896 to 570 MiB with it. An operator's own DUCKDB_JE_MALLOC_CONF
// is passed on unchanged. The worker reports the setting it started with, so this reads what the
// real forked process saw, not what the dispatcher meant to give it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { WORKER_DUCKDB_ALLOCATOR_CONF, workerEnv } from '../../lib/server/jobs/worker-env';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const BEFORE = process.env.DUCKDB_JE_MALLOC_CONF;

function restoreEnv(): void {
  if (BEFORE === undefined) delete process.env.DUCKDB_JE_MALLOC_CONF;
  else process.env.DUCKDB_JE_MALLOC_CONF = BEFORE;
}

describe('the allocator setting a worker starts with', () => {
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

  async function allocatorConfOfAWorker(orders: number): Promise<unknown> {
    const upload = await uploadFile(env, buildFixLog({ orders }), { kind: 'fix', filename: `orders-${orders}.fix` });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    const workers = (job.metrics as { workers?: { duckdb_allocator_conf?: unknown }[] }).workers ?? [];
    expect(workers).toHaveLength(1);
    return workers[0].duckdb_allocator_conf;
  }

  it('returns freed pages at once when the server has no setting of its own', async () => {
    delete process.env.DUCKDB_JE_MALLOC_CONF;
    expect(await allocatorConfOfAWorker(3)).toBe(WORKER_DUCKDB_ALLOCATOR_CONF);
    expect(WORKER_DUCKDB_ALLOCATOR_CONF).toBe('dirty_decay_ms:0,muzzy_decay_ms:0');
  });

  it("is the operator's DUCKDB_JE_MALLOC_CONF when the server was started with one", async () => {
    process.env.DUCKDB_JE_MALLOC_CONF = 'dirty_decay_ms:500,muzzy_decay_ms:500';
    expect(await allocatorConfOfAWorker(4)).toBe('dirty_decay_ms:500,muzzy_decay_ms:500');
  });

  it('leaves the rest of the environment as it is and does not change the server\'s own', () => {
    const base = { PATH: '/bin', WORKBENCH_PARQUET_MEMORY: '256MB' };
    expect(workerEnv(base)).toEqual({ ...base, DUCKDB_JE_MALLOC_CONF: WORKER_DUCKDB_ALLOCATOR_CONF });
    expect(base).toEqual({ PATH: '/bin', WORKBENCH_PARQUET_MEMORY: '256MB' });
  });
});
