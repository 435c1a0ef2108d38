// The dispatcher: in the server process (the single owner of workbench.duckdb), it claims
// runnable jobs, runs each attempt in a worker process and releases it. Claim, run and release
// are separate files (claim-next-job.ts, run-attempt.ts, release-attempt.ts); this file only
// schedules them: at most `concurrency` worker processes at once, woken by notifyJobsReady() and
// by a poll (retries become runnable when their backoff ends). A FIX file of at least
// rangeMinBytes claimed while slots are free runs as byte ranges, one worker per free slot (at
// most rangeWorkers; plan-byte-ranges.ts, run-ranged-attempt.ts), merged into one result.
import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { dataDir as defaultDataDir, getDb, type Db } from '../../../db/open';
import { setAttemptPid } from '../../../db/jobs/attempt-queries';
import { jobsAwaitingBreakDetection, jobsWithStatus, updateJobProgress } from '../../../db/jobs/job-queries';
import { workbenchRoot } from '../../parsers/logic-hash';
import type { WorkerProgress } from '../../../worker/ipc-messages';
import { BreakDetectionQueue } from './break-detection-queue';
import { setDispatcherLookup, type JobPromotionView, type WorkerSlotsView } from './dispatcher-lookup';
import type { BreakPassView } from './break-pass-progress';
import { claimNextJob, type ClaimedJob } from './claim-next-job';
import { onJobsReady } from './dispatcher-signal';
import { recoverOnStart, type Recovery } from './recover-on-start';
import { releaseAwaitingJobs } from './release-awaiting-jobs';
import { releaseAttempt, type Released } from './release-attempt';
import { discardStaging } from './roll-forward-promotion';
import { runWorkerAttempt, type AttemptOutcome } from './run-attempt';
import { planByteRanges, type ByteRange } from './plan-byte-ranges';
import { runRangedAttempt } from './run-ranged-attempt';
import { PROMOTION_OUT_OF_MEMORY_PAUSES_MS } from './retry-on-out-of-memory';
import { defaultWorkerBundleDir, freshWorkerBundle } from './worker-bundle';

export interface DispatcherOptions {
  db?: Db;
  dataDir?: string;
  /** WORKER_CONCURRENCY, default the number of cores. */
  concurrency?: number;
  /** JOB_TIMEOUT_MS, default 30 minutes. */
  jobTimeoutMs?: number;
  /** WORKER_HEARTBEAT_TIMEOUT_MS, default 30 s. */
  heartbeatTimeoutMs?: number;
  /** Interval of the worker's heartbeats, default 1 s. */
  heartbeatMs?: number;
  /** JOB_RETRY_BASE_MS, default 2 s (doubling per failed attempt). */
  retryBaseMs?: number;
  /** DISPATCH_POLL_MS, default 1 s. */
  pollMs?: number;
  /** Default <repo>/worker/main.ts. */
  workerEntry?: string;
  /**
   * Directory of the prebuilt worker bundle (worker-bundle.ts), started instead of the sources
   * while it is fresh. Default: <repo>/.next/workbench-worker in a production server (NODE_ENV
   * production) with the default entry and WORKBENCH_WORKER_BUNDLE not 0; else none.
   */
  workerBundleDir?: string | null;
  /** Minimum interval between persisted progress updates of one job; default 1 s. */
  progressWriteMs?: number;
  /** Run break detection after promotions; default true (tests of other behaviour may turn it off). */
  breakDetection?: boolean;
  /** JOB_RANGE_WORKERS: worker processes one large job is split across; default `concurrency`. 1 turns splitting off. */
  rangeWorkers?: number;
  /** JOB_RANGE_MIN_BYTES: files at least this large are split into byte ranges; default 32 MiB. */
  rangeMinBytes?: number;
  /** Pauses before each retry of a promotion DuckDB refused for memory; default PROMOTION_OUT_OF_MEMORY_PAUSES_MS. */
  promotionMemoryPausesMs?: readonly number[];
}

/** Parsers whose files can be split into byte ranges (plan-byte-ranges.ts knows their message boundaries). */
const RANGE_PARSERS: ReadonlySet<string> = new Set(['fix']);

/**
 * Events for observers (tests, logs): 'recovered' Recovery, 'spawned' {jobId, attempt, pid},
 * 'progress' {jobId, progress}, 'released' {jobId, attempt, status, error},
 * 'breaks-detected' {jobIds, error}.
 */
export type DispatcherEvents = EventEmitter;

function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

interface Settings {
  db: Db;
  dataDir: string;
  concurrency: number;
  jobTimeoutMs: number;
  heartbeatTimeoutMs: number;
  heartbeatMs: number;
  retryBaseMs: number;
  pollMs: number;
  workerEntry: string;
  workerBundleDir: string | null;
  progressWriteMs: number;
  breakDetection: boolean;
  rangeWorkers: number;
  rangeMinBytes: number;
  promotionMemoryPausesMs: readonly number[];
}

export class Dispatcher {
  readonly events: DispatcherEvents = new EventEmitter();
  /** slots = worker processes the attempt runs (one, or one per byte range). */
  private readonly active = new Map<string, { abort: AbortController; done: Promise<void>; slots: number }>();
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => void) | null = null;
  private filling = false;
  /** The claim round running now (kick()), awaited by releaseSlots(). */
  private fillRound: Promise<void> = Promise.resolve();
  private refill = false;
  private stopped = false;
  private readonly lastProgressWrite = new Map<string, number>();
  private readonly breakQueue: BreakDetectionQueue;
  private lastAwaitingCheck = 0;
  /** Jobs whose workers are done, while they are merged and promoted (promotionOf). */
  private readonly promoting = new Map<string, { phase: 'merging' | 'promoting'; since: number; refusals: number; attempts: number | null; retryAt: number | null }>();

  constructor(private readonly s: Settings) {
    this.breakQueue = new BreakDetectionQueue(
      s.db,
      (jobIds, error) => this.events.emit('breaks-detected', { jobIds, error }),
      // One pass after the jobs running now (a FIX log and its confirmations): see break-detection-queue.ts.
      () => !this.stopped && (this.active.size > 0 || this.filling),
    );
  }

  get settings(): Readonly<Settings> {
    return this.s;
  }

  /** Where the break-detection pass over a job is (the job page); null when none waits for it here. */
  breakPassOf(jobId: string): BreakPassView | null {
    return this.breakQueue.passProgressOf(jobId);
  }

  /** The break-detection pass running or queued now (the breaks page); null when there is none. */
  currentBreakPass(): BreakPassView | null {
    return this.breakQueue.currentPass();
  }

  /** The worker slots (WORKER_CONCURRENCY) and the jobs whose workers hold them now. */
  workerSlots(): WorkerSlotsView {
    const holding = [...this.active].filter(([, a]) => a.slots > 0).map(([id]) => id);
    return { slots: this.s.concurrency, in_use: this.usedSlots(), job_ids: holding };
  }

  /** A job whose workers are done, while it is merged and promoted here; null otherwise. */
  promotionOf(jobId: string): JobPromotionView | null {
    const p = this.promoting.get(jobId);
    if (!p) return null;
    const now = Date.now();
    const waiting = p.retryAt !== null && now < p.retryAt;
    return {
      phase: waiting ? 'waiting_for_memory' : p.phase,
      since: new Date(p.since).toISOString(),
      elapsed_ms: now - p.since,
      refusals: p.refusals,
      attempts: p.attempts,
      retry_at: waiting ? new Date(p.retryAt!).toISOString() : null,
    };
  }

  /** Jobs with an attempt in progress in this process. */
  activeJobIds(): string[] {
    return [...this.active.keys()];
  }

  async start(): Promise<Recovery> {
    const recovery = await recoverOnStart(this.s.db, this.s.dataDir);
    // Passes pending when the server last stopped are re-scheduled: the queue is in memory only.
    if (this.s.breakDetection) for (const id of await jobsAwaitingBreakDetection(this.s.db)) this.breakQueue.schedule(id);
    this.events.emit('recovered', recovery);
    this.unsubscribe = onJobsReady(() => this.kick());
    this.timer = setInterval(() => this.kick(), this.s.pollMs);
    this.timer.unref();
    this.kick();
    return recovery;
  }

  /**
   * Kills running workers (their jobs are re-queued, the attempt not counted), waits for their
   * release and for a running break detection pass (its transaction must end before the
   * database closes).
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.unsubscribe?.();
    // A claim in flight when stop() began may launch one more attempt: abort on every round.
    while (this.active.size > 0 || this.filling) {
      for (const a of this.active.values()) a.abort.abort();
      await Promise.allSettled([...this.active.values()].map((a) => a.done));
      if (this.filling) await new Promise((r) => setTimeout(r, 10));
    }
    await this.breakQueue.idle();
  }

  /**
   * Resolves when no break detection pass is running or pending, and no attempt in flight can
   * still schedule one (tests). A job is final in the database as soon as its promotion commits,
   * and its pass is scheduled only when the attempt then returns: waiting for the queue alone
   * could return in between, and a pass would then run after the caller thought it idle.
   */
  async breakDetectionIdle(): Promise<void> {
    while (this.active.size > 0) await Promise.allSettled([...this.active.values()].map((a) => a.done));
    await this.breakQueue.idle();
  }

  /** Claims and launches until the concurrency limit or the queue runs out. Re-entrant calls coalesce. */
  kick(): void {
    if (this.stopped) return;
    if (this.filling) {
      this.refill = true;
      return;
    }
    this.filling = true;
    this.fillRound = this.fill()
      .catch((e) => console.error('dispatcher: claiming jobs failed:', e))
      .finally(() => {
        this.filling = false;
        if (this.refill && !this.stopped) {
          this.refill = false;
          this.kick();
        }
      });
  }

  private async fill(): Promise<void> {
    // Safety net: approvals are expected to call releaseAwaitingJobs() themselves; a waiting job
    // whose contracts were approved by any other path is still released within a few seconds.
    if (Date.now() - this.lastAwaitingCheck >= AWAITING_CHECK_MS) {
      this.lastAwaitingCheck = Date.now();
      if ((await jobsWithStatus(this.s.db, 'AWAITING_CONTRACT')).length > 0) await releaseAwaitingJobs(this.s.db);
    }
    while (!this.stopped && this.usedSlots() < this.s.concurrency) {
      const claimed = await claimNextJob(this.s.db, this.s.dataDir, this.s.heartbeatMs);
      if (claimed === null) return;
      this.launch(claimed, await this.rangesFor(claimed, this.s.concurrency - this.usedSlots()));
    }
  }

  /**
   * The attempt's worker processes have all exited: its slots go to the next job now, not after
   * the merge of its byte ranges and its promotion, which run in this process and need no worker
   * (at 1M messages about 5 s during which no worker ran; on 2 cores the promotion's own DuckDB
   * threads keep them busy, so the end-to-end time did not change: docs/performance.md). Waits for
   * the claim round it starts, so that the next job's claim (a short transaction) is queued on the
   * write lock ahead of this job's merge and promotion instead of behind them; but for at most
   * CLAIM_ROUND_WAIT_MS: a claim stuck behind a long transaction (a break detection pass) must
   * not hold up the merge, which needs no lock. Idempotent.
   */
  private async releaseSlots(jobId: string): Promise<void> {
    const a = this.active.get(jobId);
    if (a === undefined || a.slots === 0) return;
    a.slots = 0;
    this.kick();
    const rounds = (async () => {
      // A round that was already running re-runs once (refill) after it ends: wait for both.
      for (let i = 0; i < 2 && this.filling; i++) await this.fillRound;
    })();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([rounds, new Promise<void>((resolve) => (timer = setTimeout(resolve, CLAIM_ROUND_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private usedSlots(): number {
    let n = 0;
    for (const a of this.active.values()) n += a.slots;
    return n;
  }

  /**
   * Byte ranges for a large file of a splittable parser, one per free worker slot (at most
   * rangeWorkers); null runs the job in one worker.
   */
  private async rangesFor(claimed: ClaimedJob, freeSlots: number): Promise<ByteRange[] | null> {
    const parts = Math.min(this.s.rangeWorkers, freeSlots);
    if (parts < 2 || claimed.parser === null || !RANGE_PARSERS.has(claimed.job.parser_id)) return null;
    try {
      if ((await stat(claimed.spec.filePath)).size < this.s.rangeMinBytes) return null;
      const ranges = await planByteRanges(claimed.spec.filePath, parts);
      return ranges.length > 1 ? ranges : null;
    } catch (e) {
      console.error(`dispatcher: job ${claimed.job.id}: no byte ranges (${(e as Error).message}); one worker runs it`);
      return null;
    }
  }

  private launch(claimed: ClaimedJob, ranges: ByteRange[] | null): void {
    const abort = new AbortController();
    const id = claimed.job.id;
    const done = this.runAndRelease(claimed, abort.signal, ranges)
      .catch((e) => console.error(`dispatcher: job ${id} attempt ${claimed.attempt} could not be released:`, e))
      .finally(() => {
        this.active.delete(id);
        this.lastProgressWrite.delete(id);
        this.kick();
      });
    this.active.set(id, { abort, done, slots: ranges?.length ?? 1 });
  }

  private async runAndRelease(claimed: ClaimedJob, signal: AbortSignal, ranges: ByteRange[] | null): Promise<void> {
    const { job, attempt } = claimed;
    const startedAt = Date.now();
    let outcome: AttemptOutcome;
    if (signal.aborted) {
      outcome = { kind: 'failed', code: 'job.stopped', message: 'the dispatcher stopped', retryable: true };
    } else if (claimed.parser === null) {
      outcome = {
        kind: 'failed',
        code: 'job.parser_version_unavailable',
        message: `parser ${job.parser_id} ${job.parser_version} is not installed`,
        retryable: false,
      };
    } else {
      // Each attempt starts from an empty staging directory: nothing of an earlier attempt survives.
      await discardStaging(this.s.dataDir, job.id);
      const attemptOptions = {
        spec: claimed.spec,
        workerEntry: this.s.workerEntry,
        // Checked at every start: a bundle older than the sources is never run (worker-bundle.ts).
        workerBundle: this.s.workerBundleDir === null ? null : freshWorkerBundle(this.s.workerBundleDir, workbenchRoot()),
        jobTimeoutMs: this.s.jobTimeoutMs,
        heartbeatTimeoutMs: this.s.heartbeatTimeoutMs,
        signal,
        onSpawn: (pid: number) => {
          this.events.emit('spawned', { jobId: job.id, attempt, pid });
          void this.s.db.transaction((tx) => setAttemptPid(tx, job.id, attempt, pid)).catch(() => undefined);
        },
        onProgress: (progress: WorkerProgress) => this.recordProgress(job.id, progress),
        onWorkersExited: () => {
          this.promoting.set(job.id, { phase: 'merging', since: Date.now(), refusals: 0, attempts: null, retryAt: null });
          return this.releaseSlots(job.id);
        },
      };
      outcome =
        ranges !== null
          ? await runRangedAttempt({
              ...attemptOptions,
              db: this.s.db,
              ranges,
              totalBytes: ranges[ranges.length - 1].end,
              errorOutput: claimed.parser.errorOutput,
            })
          : await runWorkerAttempt(attemptOptions);
    }
    // Every worker of the attempt has exited (whatever the outcome): promotion needs no slot.
    await this.releaseSlots(job.id);
    if (outcome.kind === 'result') this.promoting.set(job.id, { phase: 'promoting', since: Date.now(), refusals: 0, attempts: null, retryAt: null });
    else this.promoting.delete(job.id);
    let released: Released;
    try {
      released = await releaseAttempt(
        {
          db: this.s.db,
          dataDir: this.s.dataDir,
          retryBaseMs: this.s.retryBaseMs,
          promotionMemoryPausesMs: this.s.promotionMemoryPausesMs,
          onPromotionRefusedForMemory: ({ attempt, attempts, pauseMs }) => {
            const p = this.promoting.get(job.id);
            if (p) Object.assign(p, { refusals: attempt, attempts, retryAt: Date.now() + pauseMs });
          },
        },
        claimed,
        outcome,
        Date.now() - startedAt,
      );
    } finally {
      this.promoting.delete(job.id);
    }
    if (released.promoted && this.s.breakDetection) this.breakQueue.schedule(job.id);
    this.events.emit('released', { jobId: job.id, attempt, status: released.status, error: released.error });
  }

  private recordProgress(jobId: string, progress: WorkerProgress): void {
    this.events.emit('progress', { jobId, progress });
    const now = Date.now();
    if (now - (this.lastProgressWrite.get(jobId) ?? 0) < this.s.progressWriteMs) return;
    this.lastProgressWrite.set(jobId, now);
    const at = new Date(now).toISOString();
    void this.s.db
      .transaction((tx) => updateJobProgress(tx, jobId, { ...progress, at }))
      .catch((e) => console.error(`dispatcher: progress of job ${jobId} not saved:`, e));
  }
}

const AWAITING_CHECK_MS = 5_000;
/** How long a job whose workers exited waits for the claim round it started (releaseSlots). */
const CLAIM_ROUND_WAIT_MS = 1_000;

type GlobalWithDispatcher = typeof globalThis & { __workbenchDispatcher?: Promise<Dispatcher> };

/**
 * The production server starts workers from the prebuilt bundle while it is fresh; tests and dev
 * servers run the sources (a test of the bundle passes workerBundleDir). A custom entry (fault
 * workers in tests) is never replaced.
 */
function defaultBundleDir(opts: DispatcherOptions): string | null {
  if (opts.workerEntry !== undefined || process.env.WORKBENCH_WORKER_ENTRY) return null;
  if (process.env.NODE_ENV !== 'production' || process.env.WORKBENCH_WORKER_BUNDLE === '0') return null;
  return defaultWorkerBundleDir(workbenchRoot());
}

async function settingsFrom(opts: DispatcherOptions): Promise<Settings> {
  const concurrency = opts.concurrency ?? envInt('WORKER_CONCURRENCY', availableParallelism());
  return {
    db: opts.db ?? (await getDb()),
    dataDir: path.resolve(opts.dataDir ?? defaultDataDir()),
    concurrency,
    jobTimeoutMs: opts.jobTimeoutMs ?? envInt('JOB_TIMEOUT_MS', 30 * 60_000),
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs ?? envInt('WORKER_HEARTBEAT_TIMEOUT_MS', 30_000),
    heartbeatMs: opts.heartbeatMs ?? 1_000,
    retryBaseMs: opts.retryBaseMs ?? envInt('JOB_RETRY_BASE_MS', 2_000),
    pollMs: opts.pollMs ?? envInt('DISPATCH_POLL_MS', 1_000),
    workerEntry: opts.workerEntry ?? process.env.WORKBENCH_WORKER_ENTRY ?? path.join(workbenchRoot(), 'worker', 'main.ts'),
    workerBundleDir: opts.workerBundleDir !== undefined ? opts.workerBundleDir : defaultBundleDir(opts),
    progressWriteMs: opts.progressWriteMs ?? 1_000,
    breakDetection: opts.breakDetection ?? true,
    rangeWorkers: opts.rangeWorkers ?? envInt('JOB_RANGE_WORKERS', concurrency),
    rangeMinBytes: opts.rangeMinBytes ?? envInt('JOB_RANGE_MIN_BYTES', 32 * 1024 * 1024),
    promotionMemoryPausesMs: opts.promotionMemoryPausesMs ?? PROMOTION_OUT_OF_MEMORY_PAUSES_MS,
  };
}

/** A dispatcher that is not the process's global one (tests; tools). Call start() and stop() on it. */
export async function createDispatcher(opts: DispatcherOptions = {}): Promise<Dispatcher> {
  return new Dispatcher(await settingsFrom(opts));
}

/**
 * Starts the process's one dispatcher (kept on globalThis: Next.js may load this module in
 * several bundles, and two dispatchers would claim and recover the same jobs). Idempotent.
 */
export function startDispatcher(opts: DispatcherOptions = {}): Promise<Dispatcher> {
  const g = globalThis as GlobalWithDispatcher;
  if (!g.__workbenchDispatcher) {
    const starting = (async () => {
      const d = new Dispatcher(await settingsFrom(opts));
      await d.start();
      return d;
    })();
    g.__workbenchDispatcher = starting;
    starting.then(
      // Unless stopDispatcher ran meanwhile (it clears the lookup of the dispatcher it stops).
      (d) => {
        if (g.__workbenchDispatcher === starting) setDispatcherLookup(d);
      },
      () => {
        if (g.__workbenchDispatcher === starting) g.__workbenchDispatcher = undefined;
      },
    );
  }
  return g.__workbenchDispatcher;
}

export async function stopDispatcher(): Promise<void> {
  const g = globalThis as GlobalWithDispatcher;
  const running = g.__workbenchDispatcher;
  g.__workbenchDispatcher = undefined;
  setDispatcherLookup(undefined);
  if (running) await (await running).stop();
}

/** The running dispatcher of this process, if any. */
export function currentDispatcher(): Promise<Dispatcher> | undefined {
  return (globalThis as GlobalWithDispatcher).__workbenchDispatcher;
}
