// The job page shows where the break-detection pass over a job is: queued (and behind what), its
// step (n of N, with the steps done and to come), or waiting to be tried again. At 10M messages a
// pass takes about three minutes, and the page said only "detecting" all that time. The pass
// here is the real detectBreaks on a real DuckDB file; the views are taken as each step starts.
import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { getJob } from '../../db/jobs/job-queries';
import { DETECTION_STEP_LABELS, DETECTION_STEPS, detectionPlan, type DetectionStep } from '../../lib/breaks';
import { BreakDetectionQueue } from '../../lib/server/jobs/break-detection-queue';
import { BreakPassProgress, type BreakPassView } from '../../lib/server/jobs/break-pass-progress';
import { breakDetectionView } from '../../lib/server/jobs/job-views';
import { breakDetectionBrief, describeBreakPass, formatDuration, jobPollMs, soonestPollMs } from '../../app/jobs/job-format';
import { duckDbOutOfMemoryError } from '../support/duckdb-out-of-memory';
import { confirmationRows, FixScenario, insertRows, useTempDb } from './fix-scenario';

const t = useTempDb();

/** A promoted job without a pass yet (the file's tests share the database: the row is replaced). */
async function jobRow(id: string): Promise<void> {
  await t.db.run('DELETE FROM jobs WHERE id = ?', [id]);
  await t.db.run(
    `INSERT INTO jobs (id, upload_id, source_path, source_sha256, parser_id, parser_version, logic_hash, status, created_by, promoted_at)
     VALUES (?, 'u', 'p', 's', 'fix', '1', 'h', 'SUCCESS', 'tester', current_timestamp)`,
    [id],
  );
}

/** One order filled twice, and a confirmation of one fill: every step of a pass has work. */
async function loadOrderAndConfirmation(): Promise<void> {
  const s = new FixScenario({ jobId: 'job-1' });
  s.order('A', { qty: '100', px: '100' });
  s.ack('A');
  s.fill('A', '40', '100', { trade_date: '2026-11-20' });
  s.fill('A', '60', '100');
  await s.load(t.db);
  await insertRows(t.db, 'confirmations', confirmationRows([
    { exec_id: 'E2', cl_ord_id: 'A', order_id: 'O-A', symbol: 'IBM', side: 'BUY', quantity: '40', price: '100', trade_date: '2026-11-20', settl_date: null, transact_time: null, account: 'ACC1' },
  ]));
  await jobRow('job-1');
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('the plan of a pass', () => {
  it('has every step when both tables exist, and leaves out those whose tables do not', () => {
    expect(detectionPlan({ orders: true, confirmations: true })).toEqual([...DETECTION_STEPS]);
    const noConfirmations = detectionPlan({ orders: true, confirmations: false });
    expect(noConfirmations).not.toContain('counterparty');
    expect(noConfirmations).not.toContain('matches');
    expect(noConfirmations).toContain('chains');
    expect(detectionPlan({ orders: false, confirmations: true })).toEqual(['lock', 'counterparty', 'matches', 'write', 'commit', 'cleanup', 'checkpoint', 'prewarm']);
  });
});

describe('a real pass run by the queue', () => {
  it('goes through its planned steps in order, each shown as step n of N while it runs', async () => {
    await loadOrderAndConfirmation();
    const seen: (BreakPassView | null)[] = [];
    let stepsMs: Record<string, number> | undefined;
    const queue: BreakDetectionQueue = new BreakDetectionQueue(t.db, undefined, () => false, 0, {
      detect: async (db, opts) => {
        const result = await detectBreaks(db, {
          ...opts,
          asOf: '2026-11-24',
          onStepStart: (step, plan) => {
            opts.onStepStart(step, plan);
            seen.push(queue.passProgressOf('job-1'));
          },
        });
        stepsMs = result.stepsMs;
        return result;
      },
    });
    queue.schedule('job-1');
    await queue.idle();

    const plan = detectionPlan({ orders: true, confirmations: true });
    expect(seen.map((v) => v?.step)).toEqual(plan);
    // The laps the pass records are the same steps: the page's list and the job's metrics agree.
    expect(Object.keys(stepsMs!)).toEqual(plan);
    // 'lock' runs before the tables are known; from 'scope' on the pass has its plan.
    expect(seen[0]).toMatchObject({ phase: 'running', step: 'lock', step_number: null, steps: null, attempt: 1, job_ids: ['job-1'], done: [], to_come: [] });
    for (let i = 1; i < plan.length; i++) {
      const v = seen[i]!;
      expect(v).toMatchObject({ phase: 'running', step: plan[i], step_label: DETECTION_STEP_LABELS[plan[i]], step_number: i + 1, steps: plan.length });
      expect(v.done.map((d) => d.step)).toEqual(plan.slice(0, i));
      expect(v.to_come.map((d) => d.step)).toEqual(plan.slice(i + 1));
      expect(v.step_ms).toBeGreaterThanOrEqual(0);
    }
    // The jobs list says it in a few words (a finished job's Progress column).
    expect(breakDetectionBrief({ state: 'waiting', pass: seen[4] })).toBe('breaks: step 5 of 17');
    expect(breakDetectionBrief({ state: 'waiting', pass: seen[0] })).toBe('breaks: waiting for the database');
    expect(describeBreakPass(seen[9]!)).toMatch(/^step 10 of 17: matching counterparty confirmations to fills \(\d[^)]*\) · \d.* since the pass started$/);

    // Once the pass is recorded, the job is done and no longer has a pass.
    expect(queue.passProgressOf('job-1')).toBeNull();
    const view = breakDetectionView((await getJob(t.db, 'job-1'))!, { breakPassOf: (id) => queue.passProgressOf(id) });
    expect(view?.state).toBe('done');
    expect(breakDetectionBrief(view)).toBeNull();
    expect(view).not.toHaveProperty('pass');
    // The page then lists the steps the pass recorded on the job, with their labels and times.
    expect(view?.steps?.map((s) => s.step)).toEqual(plan);
    expect(view?.steps?.[4]).toEqual({ step: 'chains', label: DETECTION_STEP_LABELS.chains, ms: stepsMs!.chains });
  });

  it('recorded step times of unknown names are left out of the job view', () => {
    const view = breakDetectionView({
      promoted_at: '2026-11-27T20:00:00Z',
      metrics: { breaks_detected_at: '2026-11-27T20:03:00Z', breaks_detect_ms: 180_000, breaks_steps_ms: { lock: 0, renamed_step: 5, chains: 40_000 } },
    });
    expect(view?.steps).toEqual([
      { step: 'lock', label: DETECTION_STEP_LABELS.lock, ms: 0 },
      { step: 'chains', label: DETECTION_STEP_LABELS.chains, ms: 40_000 },
    ]);
  });

  it('is shown waiting for the database while another writer holds it', async () => {
    await loadOrderAndConfirmation();
    const queue = new BreakDetectionQueue(t.db, undefined, () => false, 0, {
      detect: (db, opts) => detectBreaks(db, { ...opts, asOf: '2026-11-24' }),
    });
    let release!: () => void;
    const held = t.db.exclusive(() => new Promise<void>((r) => (release = r)));
    queue.schedule('job-1');
    await until(() => queue.passProgressOf('job-1')?.step === 'lock', 'the pass to wait for the lock');
    const waiting = queue.passProgressOf('job-1')!;
    expect(waiting).toMatchObject({ phase: 'running', step_label: DETECTION_STEP_LABELS.lock, step_number: null, steps: null });
    expect(describeBreakPass(waiting)).toMatch(/^waiting for the database \(other writes finish first\) \(\d[^)]*\) · \d.* since the pass started$/);
    // The job page asks for it through the job's view while the job has no breaks_detected_at.
    const view = breakDetectionView((await getJob(t.db, 'job-1'))!, { breakPassOf: (id) => queue.passProgressOf(id) });
    expect(view).toMatchObject({ state: 'waiting', pass: { phase: 'running', step: 'lock' } });
    release();
    await held;
    await queue.idle();
    expect(breakDetectionView((await getJob(t.db, 'job-1'))!)?.state).toBe('done');
  });

  it('is shown waiting to be tried again after DuckDB refused it memory, then as its second attempt', async () => {
    await loadOrderAndConfirmation();
    const outOfMemory = await duckDbOutOfMemoryError();
    const attempts: (BreakPassView | null)[] = [];
    const queue: BreakDetectionQueue = new BreakDetectionQueue(t.db, undefined, () => false, 0, {
      retryDelayMs: 300,
      detect: async (db, opts) => {
        attempts.push(queue.passProgressOf('job-1'));
        if (attempts.length > 1) return detectBreaks(db, { ...opts, asOf: '2026-11-24' });
        // The first attempt got as far as the chains step, where DuckDB refused it.
        const plan = detectionPlan({ orders: true, confirmations: true });
        opts.onStepStart('lock', null);
        opts.onStep('lock', 0);
        opts.onStepStart('chains', plan);
        throw Object.assign(outOfMemory, { detectionStep: 'chains' });
      },
    });
    queue.schedule('job-1');
    await until(() => queue.passProgressOf('job-1')?.phase === 'retrying', 'the pause before the second attempt');
    const retrying = queue.passProgressOf('job-1')!;
    expect(retrying).toMatchObject({ attempt: 1, step: null, to_come: [] });
    expect(Date.parse(retrying.retry_at!)).toBeGreaterThan(Date.parse(retrying.since));
    expect(retrying.done.map((d) => d.step)).toEqual(['lock']);
    expect(describeBreakPass(retrying)).toMatch(/^DuckDB refused attempt 1 memory; it is tried again shortly · \d.* since the pass started$/);
    await queue.idle();
    expect(attempts.map((a) => a?.attempt)).toEqual([1, 2]);
    // The second attempt starts afresh: nothing done yet, no pause.
    expect(attempts[1]).toMatchObject({ phase: 'running', done: [], retry_at: null });
    expect(breakDetectionView((await getJob(t.db, 'job-1'))!)).toMatchObject({ state: 'done' });
  });

  it('that fails ends with its cleanup: the steps after it are no longer shown to come', async () => {
    await loadOrderAndConfirmation();
    // A warehouse table without the columns detection reads: the pass fails in its scope step.
    await t.db.run('ALTER TABLE fix_order_events RENAME TO fix_order_events_kept');
    await t.db.run('CREATE TABLE fix_order_events (msg_type VARCHAR)');
    try {
      const seen: (BreakPassView | null)[] = [];
      const queue: BreakDetectionQueue = new BreakDetectionQueue(t.db, undefined, () => false, 0, {
        detect: (db, opts) =>
          detectBreaks(db, {
            ...opts,
            asOf: '2026-11-24',
            onStepStart: (step, plan) => {
              opts.onStepStart(step, plan);
              seen.push(queue.passProgressOf('job-1'));
            },
          }),
      });
      queue.schedule('job-1');
      await queue.idle();
      expect(seen.map((v) => v?.step)).toEqual(['lock', 'scope', 'cleanup']);
      expect(seen[2]).toMatchObject({ step_number: 3, steps: 3, to_come: [] });
      expect(breakDetectionView((await getJob(t.db, 'job-1'))!)).toMatchObject({ state: 'failed' });
    } finally {
      await t.db.run('DROP TABLE fix_order_events');
      await t.db.run('ALTER TABLE fix_order_events_kept RENAME TO fix_order_events');
    }
  });

  it('is queued behind the jobs running now until they finish', async () => {
    await loadOrderAndConfirmation();
    let busy = true;
    const queue = new BreakDetectionQueue(t.db, undefined, () => busy, 60_000, {
      detect: (db, opts) => detectBreaks(db, { ...opts, asOf: '2026-11-24' }),
    });
    queue.schedule('job-1');
    const queued = queue.passProgressOf('job-1')!;
    expect(queued).toMatchObject({ phase: 'queued', waits_for: 'running_jobs', attempt: 0, step: null });
    expect(breakDetectionBrief({ state: 'waiting', pass: queued })).toBe('breaks: queued');
    expect(describeBreakPass(queued)).toMatch(/^queued for \d+ ms: waits for the jobs running now, so that one pass covers them$/);
    busy = false;
    await queue.idle();
    expect(queue.passProgressOf('job-1')).toBeNull();
  });
});

describe('the progress of a pass, step by step', () => {
  it('follows a pass refused for memory into its second attempt, and forgets it once recorded', () => {
    let now = Date.parse('2026-11-27T20:00:00Z');
    const p = new BreakPassProgress(() => now);
    const plan: DetectionStep[] = detectionPlan({ orders: true, confirmations: false });
    expect(p.current(false)).toBeNull();
    p.queued('j1');
    now += 1;
    p.queued('j2');
    now += 1_499;
    // The breaks page: before a pass starts, the earliest queued job's view, naming every queued job.
    expect(p.current(true)).toMatchObject({ phase: 'queued', waits_for: 'running_jobs', since: '2026-11-27T20:00:00.000Z', job_ids: ['j1', 'j2'] });
    expect(p.viewOf('j1', false)).toMatchObject({ phase: 'queued', waits_for: null, since: '2026-11-27T20:00:00.000Z', elapsed_ms: 1_500 });
    expect(describeBreakPass(p.viewOf('j1', false)!)).toBe('queued: starts now');
    p.started(['j1'], 1);
    expect(p.current(false)).toMatchObject({ phase: 'running', job_ids: ['j1'] });
    // j2 came after the pass started: it waits for it.
    expect(p.viewOf('j2', false)).toMatchObject({ phase: 'queued', waits_for: 'running_pass' });
    expect(describeBreakPass(p.viewOf('j2', false)!)).toBe('queued for 1.5 s: starts after the pass running now');
    p.stepStarted('lock', null);
    now += 10;
    p.stepFinished('lock', 10);
    p.stepStarted('scope', plan);
    now += 100;
    p.stepFinished('scope', 100);
    // Between two steps: no step, the rest of the plan still to come.
    expect(p.viewOf('j1', false)).toMatchObject({ step: null, step_number: null, steps: plan.length, step_ms: null });
    expect(p.viewOf('j1', false)!.to_come.map((s) => s.step)).toEqual(plan.slice(2));
    expect(describeBreakPass(p.viewOf('j1', false)!)).toBe('between steps · 110 ms since the pass started');
    p.stepStarted('chains', plan);
    now += 65_000;
    expect(describeBreakPass(p.viewOf('j1', false)!)).toBe(
      `step 5 of ${plan.length}: linking orders into chains (ClOrdID, OrigClOrdID) (1 min 5 s) · 1 min 5 s since the pass started`,
    );
    p.retrying(5_000);
    const retrying = p.viewOf('j1', false)!;
    expect(retrying).toMatchObject({ phase: 'retrying', step: null, retry_at: '2026-11-27T20:01:11.610Z', to_come: [] });
    expect(describeBreakPass(retrying)).toBe('DuckDB refused attempt 1 memory; it is tried again shortly · 1 min 5 s since the pass started');
    now += 5_000;
    p.started(['j1', 'j2'], 2);
    p.stepStarted('lock', null);
    const second = p.viewOf('j2', false)!;
    expect(second).toMatchObject({ phase: 'running', attempt: 2, done: [], job_ids: ['j1', 'j2'] });
    expect(describeBreakPass(second)).toBe('waiting for the database (other writes finish first) (0 ms) · 0 ms since the pass started · attempt 2 · one pass for 2 jobs');
    p.finished();
    expect(p.current(false)).toBeNull();
    expect(p.viewOf('j1', false)).toBeNull();
    expect(p.viewOf('j2', false)).toBeNull();
  });
});

describe('durations on the job page', () => {
  it('a duration just under two minutes reads 2 min 0 s, never 1 min 60 s', () => {
    expect(formatDuration(119_600)).toBe('2 min 0 s');
    expect(formatDuration(59_960)).toBe('1 min 0 s');
    expect(formatDuration(59_940)).toBe('59.9 s');
    expect(formatDuration(61_400)).toBe('1 min 1 s');
    expect(formatDuration(12.6)).toBe('13 ms');
  });
});

describe('how often the live job lists read a job', () => {
  it('every second while it runs, every 2 s while its pass is queued or running here, then not at all', () => {
    const pass = { phase: 'running' };
    expect(jobPollMs({ status: 'RUNNING' })).toBe(1000);
    expect(jobPollMs({ status: 'QUEUED' })).toBe(1000);
    expect(jobPollMs({ status: 'AWAITING_CONTRACT' })).toBeNull();
    expect(jobPollMs({ status: 'PARTIAL_SUCCESS', break_detection: { state: 'waiting', pass } })).toBe(2000);
    // Waiting for a pass this server does not run: nothing here will change it.
    expect(jobPollMs({ status: 'SUCCESS', break_detection: { state: 'waiting', pass: null } })).toBeNull();
    expect(jobPollMs({ status: 'SUCCESS', break_detection: { state: 'done' } })).toBeNull();
    expect(soonestPollMs([{ status: 'SUCCESS', break_detection: { state: 'waiting', pass } }, { status: 'RUNNING' }])).toBe(1000);
    expect(soonestPollMs([{ status: 'SUCCESS', break_detection: { state: 'waiting', pass } }, { status: 'FAILED' }])).toBe(2000);
    expect(soonestPollMs([{ status: 'FAILED' }])).toBeNull();
  });
});
