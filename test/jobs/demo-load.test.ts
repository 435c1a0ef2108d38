// First start in demo mode: contracts seeded (author proposes, reviewer approves), the demo
// dataset generated and stored as two uploads by ops, and their jobs run to promotion. A
// second start loads nothing.
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { loadDemoIfFirstStart } from '../../lib/server/demo/load-demo';
import { isFinal, openJobsEnv, waitForJob, type JobsEnv } from './job-harness';

describe('demo data on first start', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher | undefined;

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('loads once, as ops, and its jobs are promoted', async () => {
    env = await openJobsEnv();
    dispatcher = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 2, pollMs: 100 });
    const released = new Set<string>();
    dispatcher.events.on('released', (e: { jobId: string }) => released.add(e.jobId));
    await dispatcher.start();
    const first = await loadDemoIfFirstStart({ db: env.db, dataDir: env.dataDir, orders: 60, seed: 7, env: {} });
    expect(first.loaded).toBe(true);
    expect(first.uploadIds).toHaveLength(2);
    expect(first.jobIds).toHaveLength(2);

    const uploads = await env.db.all<{ kind: string; uploaded_by: string }>(`SELECT kind, uploaded_by FROM uploads ORDER BY kind`);
    expect(uploads).toEqual([
      { kind: 'confirmations', uploaded_by: 'ops' },
      { kind: 'fix', uploaded_by: 'ops' },
    ]);
    for (const id of first.jobIds) {
      const job = await waitForJob(env.db, id, isFinal, 90_000);
      expect(job.status, `${job.error_code}: ${job.error_message}`).not.toBe('FAILED');
      expect(job.created_by).toBe('ops');
    }
    const fixRows = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM fix_order_events`);
    expect(Number(fixRows[0].n)).toBeGreaterThan(60);

    // Break detection ran after the promotions (the demo dataset seeds breaks).
    while (!first.jobIds.every((id) => released.has(id))) await new Promise((r) => setTimeout(r, 20));
    await dispatcher.breakDetectionIdle();
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM breaks`))[0].n)).toBeGreaterThan(0);
    // Each job records the detection pass that covered it (the job API and the end-to-end bench read it).
    for (const id of first.jobIds) {
      const job = await waitForJob(env.db, id, (j) => typeof j.metrics?.breaks_detected_at === 'string', 10_000);
      expect(job.metrics).toMatchObject({ breaks_detect_ms: expect.any(Number), rows: expect.any(Number) });
      // And each step's wall time in the server, in the order the steps ran.
      const steps = job.metrics?.breaks_steps_ms as Record<string, number>;
      expect(Object.keys(steps)).toEqual(['lock', 'scope', 'events', 'sequence', 'chains', 'fills', 'summary', 'lifecycle', 'stage', 'counterparty',
        'persist', 'matches', 'write', 'commit', 'cleanup', 'checkpoint', 'prewarm']);
      for (const ms of Object.values(steps)) expect(ms).toBeGreaterThanOrEqual(0);
      expect(job.metrics).not.toHaveProperty('breaks_error');
    }

    const again = await loadDemoIfFirstStart({ db: env.db, dataDir: env.dataDir, orders: 60, seed: 7, env: {} });
    expect(again.loaded).toBe(false);
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM jobs`))[0].n)).toBe(2);
  });

  it('loads nothing when demo mode is off', async () => {
    env = await openJobsEnv();
    const r = await loadDemoIfFirstStart({ db: env.db, dataDir: env.dataDir, orders: 10, env: { WORKBENCH_DEMO: '0' } });
    expect(r.loaded).toBe(false);
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM contract_versions`))[0].n)).toBe(0);
  });
});
