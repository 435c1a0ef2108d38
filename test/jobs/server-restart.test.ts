// A server crash mid-job: the job is left RUNNING with a half-written staging directory.
// The next server start re-queues it (the abandoned attempt does not count against it),
// deletes the orphaned staging directory, and the job then runs to completion once.
import { fork } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listAttempts } from '../../db/jobs/attempt-queries';
import { getJob } from '../../db/jobs/job-queries';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import type { Recovery } from '../../lib/server/jobs/recover-on-start';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { buildFixLog } from './fix-fixture';
import { isFinal, nextRelease, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(cond: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('server restart', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('re-queues a job left RUNNING by a crashed server and completes it', async () => {
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
    const upload = await uploadFile(env, buildFixLog({ orders: 3000 }), { kind: 'fix', filename: 'crash.fix' });
    const jobId = upload.job_ids[0];
    await env.db.close();

    // The "server": owns the database file and runs the job in a worker.
    const server = fork(path.join(process.cwd(), 'test', 'jobs', 'fixtures', 'dispatcher-server.ts'), [env.dbFile, env.dataDir, env.migrationsDir], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let workerPid: number | null = null;
    let progressed = false;
    server.on('message', (m: { event: string; data?: { pid?: number } }) => {
      if (m.event === 'spawned') workerPid = m.data?.pid ?? null;
      if (m.event === 'progress') progressed = true;
    });
    const exited = new Promise<void>((r) => server.on('exit', () => r()));
    await until(() => progressed && workerPid !== null, 'the first progress report');
    const pid = workerPid as unknown as number;
    // Freeze the worker so the job cannot finish, then crash the server under it.
    process.kill(pid, 'SIGSTOP');
    server.kill('SIGKILL');
    await exited;
    process.kill(pid, 'SIGCONT');
    // The orphaned worker notices its dispatcher is gone and exits by itself.
    await until(() => !alive(pid), 'the orphaned worker to exit');

    const db = await env.reopen();
    const before = await getJob(db, jobId);
    expect(before?.status).toBe('RUNNING');
    expect(existsSync(path.join(env.dataDir, 'staging', jobId))).toBe(true);
    expect(await db.all(`SELECT table_name FROM information_schema.tables WHERE table_name = 'fix_order_events'`)).toEqual([]);

    // Break detection (its own area, tested there) is not what this test is about: off, to keep it short.
    dispatcher = await createDispatcher({ db, dataDir: env.dataDir, concurrency: 1, pollMs: 100, breakDetection: false });
    let recovery: Recovery | null = null;
    dispatcher.events.on('recovered', (r: Recovery) => (recovery = r));
    const released = nextRelease(dispatcher.events, jobId);
    await dispatcher.start();
    expect(recovery).toMatchObject({ requeued: [jobId], removedStaging: [jobId], rolledForward: [] });

    const job = await waitForJob(db, jobId, isFinal, 90_000);
    expect(job.status).toBe('SUCCESS');
    expect(job.attempts).toBe(2);
    expect(job.max_attempts).toBe(before!.max_attempts + 1);
    expect((await listAttempts(db, jobId)).map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'abandoned'],
      [2, 'completed'],
    ]);
    const rows = await db.all<{ n: string }>(`SELECT count(*) AS n FROM fix_order_events WHERE _cf_job_id = ?`, [jobId]);
    expect(Number(rows[0].n)).toBe(9000);
    await released; // the renames out of staging follow the promotion's commit
    expect(readdirSync(path.join(env.dataDir, 'staging'))).toEqual([]);
  });
});
