// Where the break-detection pass over a job is, for the job page: queued (and behind what),
// running (which step of how many, since when, the steps done and their times), or waiting to
// be tried again after DuckDB refused it memory. In memory only: the queue that runs the passes
// (break-detection-queue.ts) is in memory too, and a restarted server schedules the jobs that
// still wait again. The pass itself holds the database's writer for minutes at 10M messages,
// so its progress could not be written to the database while it runs.
import { DETECTION_STEP_LABELS, type DetectionStep } from '../../breaks';

export interface BreakPassStepView {
  step: DetectionStep;
  label: string;
  ms: number;
}

export interface BreakPassView {
  /**
   * queued: no pass over the job has started; running: one is running; retrying: one was
   * refused for memory and is tried again at retry_at.
   */
  phase: 'queued' | 'running' | 'retrying';
  /** queued: what the pass waits for (the jobs running now are covered by the same pass). */
  waits_for: 'running_jobs' | 'running_pass' | null;
  /** When the job was queued, or when the pass started. */
  since: string;
  /** Time since `since`, on the server's clock (the page's clock may differ). */
  elapsed_ms: number;
  /** The pass's attempt (1, or 2 after a refusal for memory); 0 while queued. */
  attempt: number;
  /** The jobs the pass covers (one pass covers every job promoted since the last). */
  job_ids: string[];
  /** The step running now (null while queued, retrying, or between steps). */
  step: DetectionStep | null;
  step_label: string | null;
  /** 1-based position of the step among the pass's steps; null while they are not known yet. */
  step_number: number | null;
  steps: number | null;
  step_started_at: string | null;
  /** Time in the step running now. */
  step_ms: number | null;
  /** The steps finished by this attempt, in order, with their wall times. */
  done: BreakPassStepView[];
  /** The steps after the one running now (empty while they are not known yet). */
  to_come: { step: DetectionStep; label: string }[];
  retry_at: string | null;
}

interface RunningPass {
  jobIds: string[];
  startedAt: number;
  attempt: number;
  plan: readonly DetectionStep[] | null;
  step: DetectionStep | null;
  stepStartedAt: number | null;
  done: BreakPassStepView[];
  retryAt: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export class BreakPassProgress {
  private readonly queuedAt = new Map<string, number>();
  private pass: RunningPass | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  queued(jobId: string): void {
    if (!this.queuedAt.has(jobId)) this.queuedAt.set(jobId, this.now());
  }

  /** An attempt of a pass over jobIds starts (they are no longer queued). */
  started(jobIds: string[], attempt: number): void {
    for (const id of jobIds) this.queuedAt.delete(id);
    this.pass = { jobIds, startedAt: this.now(), attempt, plan: null, step: null, stepStartedAt: null, done: [], retryAt: null };
  }

  stepStarted(step: DetectionStep, plan: readonly DetectionStep[] | null): void {
    if (!this.pass) return;
    if (plan) this.pass.plan = plan;
    this.pass.step = step;
    this.pass.stepStartedAt = this.now();
  }

  stepFinished(step: DetectionStep, ms: number): void {
    if (!this.pass) return;
    this.pass.done.push({ step, label: DETECTION_STEP_LABELS[step], ms });
    if (this.pass.step === step) {
      this.pass.step = null;
      this.pass.stepStartedAt = null;
    }
  }

  /** The attempt was refused for memory; the next starts after delayMs. */
  retrying(delayMs: number): void {
    if (!this.pass) return;
    this.pass.step = null;
    this.pass.stepStartedAt = null;
    this.pass.retryAt = this.now() + delayMs;
  }

  /** The pass is over (recorded on its jobs, done or failed). */
  finished(): void {
    this.pass = null;
  }

  /**
   * The pass running now, or else the earliest queued job's; null when none is running or queued
   * (the breaks page: the breaks it shows are those of the last pass until this one is done).
   */
  current(runningJobs: boolean): BreakPassView | null {
    if (this.pass) return this.viewOf(this.pass.jobIds[0], runningJobs);
    let first: [string, number] | null = null;
    for (const entry of this.queuedAt) if (first === null || entry[1] < first[1]) first = entry;
    if (first === null) return null;
    const view = this.viewOf(first[0], runningJobs)!;
    return { ...view, job_ids: [...this.queuedAt.keys()] };
  }

  /** null when the job is neither queued nor in the running pass. */
  viewOf(jobId: string, runningJobs: boolean): BreakPassView | null {
    const p = this.pass;
    const now = this.now();
    if (p && p.jobIds.includes(jobId)) {
      const n = p.step && p.plan ? p.plan.indexOf(p.step) : -1;
      // Between two steps, what comes is what follows the last one done.
      const last = p.done.length > 0 ? p.done[p.done.length - 1].step : null;
      const from = n >= 0 ? n : p.plan && last ? p.plan.indexOf(last) : -1;
      const toCome = p.plan && (n >= 0 || last) ? p.plan.slice(from + 1).map((step) => ({ step, label: DETECTION_STEP_LABELS[step] })) : [];
      return {
        phase: p.retryAt !== null ? 'retrying' : 'running',
        waits_for: null,
        since: iso(p.startedAt),
        elapsed_ms: now - p.startedAt,
        attempt: p.attempt,
        job_ids: [...p.jobIds],
        step: p.step,
        step_label: p.step ? DETECTION_STEP_LABELS[p.step] : null,
        step_number: n >= 0 ? n + 1 : null,
        steps: p.plan ? p.plan.length : null,
        step_started_at: p.stepStartedAt !== null ? iso(p.stepStartedAt) : null,
        step_ms: p.stepStartedAt !== null ? now - p.stepStartedAt : null,
        done: p.done.map((d) => ({ ...d })),
        to_come: p.retryAt !== null ? [] : toCome,
        retry_at: p.retryAt !== null ? iso(p.retryAt) : null,
      };
    }
    const at = this.queuedAt.get(jobId);
    if (at === undefined) return null;
    return {
      phase: 'queued',
      waits_for: p ? 'running_pass' : runningJobs ? 'running_jobs' : null,
      since: iso(at),
      elapsed_ms: now - at,
      attempt: 0,
      job_ids: [jobId],
      step: null,
      step_label: null,
      step_number: null,
      steps: null,
      step_started_at: null,
      step_ms: null,
      done: [],
      to_come: [],
      retry_at: null,
    };
  }
}
