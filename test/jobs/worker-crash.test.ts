// A worker that dies or hangs mid-job fails its attempt; the job is retried from a clean
// staging directory and no partial output is ever visible. Real worker processes; the test
// freezes a worker with SIGSTOP at its first progress report (so the kill lands mid-job
// whatever the machine's speed), then kills it or lets the heartbeat watchdog do it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OpenDb } from '../../db/open';
import { listAttempts } from '../../db/jobs/attempt-queries';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { buildFixLog } from './fix-fixture';
import { isFinal, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const ORDERS = 3000; // 9,001 messages: several parser batches, so progress arrives mid-job

async function visibleRows(db: OpenDb, jobId: string): Promise<number> {
  const tables = await db.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_name IN ('fix_order_events', 'fix_session_events', 'fix_order_events_quarantine')`,
  );
  let n = 0;
  for (const t of tables) {
    const r = await db.all<{ n: string }>(`SELECT count(*) AS n FROM "${t.table_name}" WHERE _cf_job_id = ?`, [jobId]);
    n += Number(r[0].n);
  }
  return n;
}

describe('worker failure', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeEach(async () => {
    env = await openJobsEnv();
    await seedDefaultContracts(env.db);
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  async function runScenario(opts: { heartbeatTimeoutMs: number; killAfterFreeze: boolean }) {
    dispatcher = await createDispatcher({
      db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 100, retryBaseMs: 50, heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
      // Break detection (its own area, tested there) is not what this test is about: off, to keep it short.
      breakDetection: false,
    });
    const pids = new Map<number, number>();
    let frozen: { pid: number; rowsVisible: number; status: string; staged: boolean } | null = null;
    let freezing: Promise<void> | null = null;
    dispatcher.events.on('spawned', (e: { attempt: number; pid: number }) => pids.set(e.attempt, e.pid));
    dispatcher.events.on('progress', (e: { jobId: string }) => {
      const pid = pids.get(1);
      if (freezing || pid === undefined || pids.size > 1) return;
      process.kill(pid, 'SIGSTOP');
      freezing = (async () => {
        const job = await env.db.all<{ status: string }>(`SELECT status FROM jobs WHERE id = ?`, [e.jobId]);
        frozen = {
          pid,
          rowsVisible: await visibleRows(env.db, e.jobId),
          status: job[0].status,
          staged: existsSync(path.join(env.dataDir, 'staging', e.jobId)),
        };
        if (opts.killAfterFreeze) process.kill(pid, 'SIGKILL');
      })();
    });
    await dispatcher.start();
    const upload = await uploadFile(env, buildFixLog({ orders: ORDERS }), { kind: 'fix', filename: 'big.fix' });
    const jobId = upload.job_ids[0];

    // Watch the output the whole time: it is either absent or complete, never partial.
    const seen = new Set<number>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.add(await visibleRows(env.db, jobId));
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const job = await waitForJob(env.db, jobId, isFinal, 90_000);
    watching = false;
    await watcher;
    await freezing;
    seen.add(await visibleRows(env.db, jobId));

    expect(frozen).toMatchObject({ rowsVisible: 0, status: 'RUNNING', staged: true });
    expect(job.status).toBe('SUCCESS');
    expect(job.attempts).toBe(2);
    const total = ORDERS * 3 + 1;
    expect([...seen].filter((n) => n !== 0 && n !== total)).toEqual([]);
    expect(await visibleRows(env.db, jobId)).toBe(total);
    expect(readdirSync(path.join(env.dataDir, 'staging'))).toEqual([]);
    return { jobId, attempts: await listAttempts(env.db, jobId) };
  }

  it('retries a worker killed mid-job (SIGKILL) and promotes the output once', async () => {
    const { jobId, attempts } = await runScenario({ heartbeatTimeoutMs: 30_000, killAfterFreeze: true });
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'failed', 'job.worker_crashed'],
      [2, 'completed', null],
    ]);
    const audit = await env.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE subject = ? ORDER BY seq`, [`job:${jobId}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.enqueued', 'job.attempt_failed', 'job.promoted']);
  });

  it('kills a hung worker (no heartbeat) and retries the job', async () => {
    const { attempts } = await runScenario({ heartbeatTimeoutMs: 5_000, killAfterFreeze: false });
    expect(attempts.map((a) => [a.attempt, a.outcome, a.error_code])).toEqual([
      [1, 'failed', 'job.worker_hung'],
      [2, 'completed', null],
    ]);
  });
});
