// A promotion that DuckDB refuses for memory is tried again after a pause, and only after the
// pauses are used up is the job FAILED, with its own code (promotion.out_of_memory) instead of
// the generic promotion.failed. A break-detection pass over 10M messages can hold DuckDB's whole
// memory limit for minutes; a job uploaded meanwhile must not fail for it. The refusals here are
// DuckDB's own: a list aggregate over a 32MB limit, and a real promotion in a database whose
// limit (24MB) is too small for it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { isDbOutOfMemory } from '../../db/db-errors';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { retryOnOutOfMemory } from '../../lib/server/jobs/retry-on-out-of-memory';
import type { JobPromotionView } from '../../lib/server/jobs/dispatcher-lookup';
import { describePromotion } from '../../app/jobs/job-format';
import { duckDbOutOfMemoryError } from '../support/duckdb-out-of-memory';
import { buildFixLog } from './fix-fixture';
import { getJob } from '../../db/jobs/job-queries';
import { nextRelease, openDispatcherEnv, uploadFile, type JobsEnv } from './job-harness';

let outOfMemory: Error;

beforeAll(async () => {
  outOfMemory = await duckDbOutOfMemoryError();
});

describe('retryOnOutOfMemory', () => {
  it('runs the work again after each refusal for memory, and returns what it returns', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls = 0;
    const got = await retryOnOutOfMemory('test work', async () => {
      if (++calls <= 2) throw outOfMemory;
      return 'loaded';
    }, [5, 5, 5]);
    expect({ got, calls }).toEqual({ got: 'loaded', calls: 3 });
    expect(quiet).toHaveBeenCalledTimes(2);
    quiet.mockRestore();
  });

  it('throws any other error at once, and the last refusal once the pauses are used up', async () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let calls = 0;
    const other = new Error('Binder Error: column x not found');
    await expect(retryOnOutOfMemory('test work', async () => { calls++; throw other; }, [5, 5])).rejects.toBe(other);
    expect(calls).toBe(1);
    calls = 0;
    await expect(retryOnOutOfMemory('test work', async () => { calls++; throw outOfMemory; }, [5, 5])).rejects.toBe(outOfMemory);
    expect(calls).toBe(3);
    quiet.mockRestore();
  });
});

describe('a promotion refused for memory every time', () => {
  let env: JobsEnv | undefined;
  let dispatcher: Dispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('is tried again after each pause, then the job is FAILED with promotion.out_of_memory and nothing loaded', async () => {
    process.env.WORKBENCH_DB_MEMORY = '24MB';
    try {
      ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100, breakDetection: false, promotionMemoryPausesMs: [400, 400] }));
    } finally {
      delete process.env.WORKBENCH_DB_MEMORY;
    }
    const logged: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { logged.push(args.map(String).join(' ')); });
    try {
      const released = nextRelease(dispatcher.events);
      await dispatcher.start();
      const upload = await uploadFile(env, buildFixLog({ orders: 3000 }), { kind: 'fix', filename: 'big-for-24mb.fix' });
      const jobId = upload.job_ids[0];
      // While it waits, the job page shows the wait: the refusals so far and when it is tried again.
      const seen: (JobPromotionView | null)[] = [];
      const d = dispatcher;
      const watch = setInterval(() => seen.push(d.promotionOf(jobId)), 5);
      // Waits for the release, not by polling the job row: at this limit a read beside the
      // promotion's attempts is refused for memory too.
      await released; // staging is discarded after the FAILED job's transaction
      clearInterval(watch);
      const job = (await getJob(env.db, jobId))!;
      expect(job.status).toBe('FAILED');
      expect(job.error_code).toBe('promotion.out_of_memory');
      expect(job.error_message).toContain('3 times');
      expect(logged.filter((l) => l.includes(`promotion of job ${job.id}: DuckDB refused it for memory`))).toHaveLength(2);
      const waits = seen.filter((v) => v?.phase === 'waiting_for_memory');
      expect(waits.map((v) => v!.refusals)).toContain(1);
      expect(waits.map((v) => v!.refusals)).toContain(2);
      expect(waits[0]).toMatchObject({ attempts: 3 });
      expect(Date.parse(waits[0]!.retry_at!)).toBeGreaterThan(Date.parse(waits[0]!.since));
      expect(describePromotion(waits[0]!)).toMatch(/^workers done; DuckDB refused the promotion memory 1 time of at most 3 \(a break-detection pass may be holding it\); it is tried again at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\)$/);
      // Between the waits, the next attempt shows as promoting again.
      expect(seen.some((v) => v?.phase === 'promoting' && v.refusals === 1)).toBe(true);
      expect(d.promotionOf(jobId)).toBeNull();
      const tables = await env.db.all(`SELECT table_name FROM information_schema.tables WHERE table_name = 'fix_order_events'`);
      expect(tables).toEqual([]);
      expect(existsSync(path.join(env.dataDir, 'staging', job.id))).toBe(false);
    } finally {
      spy.mockRestore();
    }
  });
});

describe('isDbOutOfMemory', () => {
  it('recognises a commit DuckDB could not write for memory (its messages as seen here), and no other failed commit', () => {
    const seen = [
      'TransactionContext Error: Failed to commit: could not allocate block of size 256.0 KiB (7.4 MiB/7.6 MiB used)\nPossible solutions:',
      'TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (15.1 MiB/15.2 MiB used)',
    ];
    for (const m of seen) expect(isDbOutOfMemory(new Error(m))).toBe(true);
    expect(isDbOutOfMemory(new Error('TransactionContext Error: Failed to commit: PRIMARY KEY or UNIQUE constraint violation'))).toBe(false);
    expect(isDbOutOfMemory(outOfMemory)).toBe(true);
  });
});
