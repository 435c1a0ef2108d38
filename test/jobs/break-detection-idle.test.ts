// dispatcher.breakDetectionIdle() must not return between a job's promotion commit (the job is
// final in the database) and the scheduling of its detection pass: a caller that waited for the
// job and then for idle would otherwise see the pass run afterwards. That happened in CI: the
// quarantine-replay test's hand-written breaks were closed by a late pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getJob } from '../../db/jobs/job-queries';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, type JobsEnv } from './job-harness';

let env: JobsEnv;
let dispatcher: Dispatcher;

beforeAll(async () => {
  ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 20, retryBaseMs: 50 }));
  await seedDefaultContracts(env.db);
  await dispatcher.start();
});
afterAll(async () => {
  await dispatcher?.stop();
  await env?.cleanup();
});

describe('break detection idle', () => {
  it('waits for the pass of a job seen final the moment its promotion commits', async () => {
    for (let i = 0; i < 3; i++) {
      const upload = await uploadFile(env, buildFixLog({ orders: 5 + i }), { kind: 'fix', filename: `idle-${i}.fix` });
      const id = upload.job_ids[0];
      // Poll as tightly as the database allows, to see the job final as early as possible.
      for (;;) {
        const job = await getJob(env.db, id);
        if (job && isFinal(job)) break;
        await new Promise((r) => setImmediate(r));
      }
      await dispatcher.breakDetectionIdle();
      const metrics = (await getJob(env.db, id))!.metrics as Record<string, unknown>;
      expect(metrics.breaks_detected_at, `job ${i}: its pass had not run when idle returned`).toEqual(expect.any(String));
    }
  });
});
