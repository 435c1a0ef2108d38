// A job's worker slot is free as soon as its worker exits: the next queued job is claimed
// before the finished job's promotion (which runs in the server process and needs no worker),
// not after it. At 1M messages the promotion took ~4 s during which the next job (the
// confirmations) waited with every worker slot idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

describe('worker slots and promotion', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100, retryBaseMs: 50 }));
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('claims the next job before the finished job is promoted (one slot)', async () => {
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
    // Both ran, one at a time on the worker side, in upload order.
    expect(released).toEqual([a.id, b.id]);
    // started_at and promoted_at are their transactions' start times; the write lock orders
    // them: the second job's claim committed before the first job's promotion began.
    expect(Date.parse(b.started_at!)).toBeLessThanOrEqual(Date.parse(a.promoted_at!));
  });
});
