// Break detection after promotions, off the dispatcher's worker slots: promoted job ids are
// collected and detection runs one pass at a time over every job promoted since the last pass
// (detectBreaks(db, { jobIds })). Its failure never un-promotes a job: the job's output is
// visible and correct; the failure is logged and the next pass (or `workbench breaks`)
// recomputes the breaks.
//
// Coalescing (issue 9): while the dispatcher is busy (an attempt running or being claimed), a
// pass waits, up to `maxWaitMs`: a FIX log and its confirmations uploaded together then get one
// pass over both jobs instead of two, and a long pass does not start while a job that would
// need it again is still running (its transaction would also delay that job's claim and
// promotion, which wait for the database).
import { isDbOutOfMemory } from '../../../db/db-errors';
import type { Db } from '../../../db/open';
import { detectBreaks, detectionStepOf, type DetectBreaksOptions } from '../../../db/breaks/detect-breaks';
import type { PrewarmResult } from '../../../db/breaks/prewarm-drill-down-tables';
import { isDetectionStep } from '../../breaks';
import { BreakPassProgress, type BreakPassView } from './break-pass-progress';

/**
 * What the job page shows of a failed pass: the step and the first line of the error (DuckDB
 * appends advice on settings the server has locked), at most 500 characters.
 */
export function describePassError(error: unknown): string {
  const first = (error instanceof Error ? error.message : String(error)).split('\n')[0].trim();
  const step = detectionStepOf(error);
  return (step ? `${step}: ${first}` : first).slice(0, 500);
}

/**
 * Attempts of one pass. A pass that DuckDB refuses for memory is tried once more: at 10M
 * messages a pass runs close to the 2GB limit, and one of eight 10M benchmark runs failed that way
 * (106 s in) where the same data passed in the others.
 */
export const PASS_ATTEMPTS_ON_OUT_OF_MEMORY = 2;

export interface BreakDetectionQueueOptions {
  /** Pause before a pass refused for memory is tried again (default 5 s). */
  retryDelayMs?: number;
  /**
   * The pass itself (default detectBreaks; tests give it DuckDB's real errors to throw). It
   * reports its steps through onStep and onStepStart: the job page shows them (passProgressOf).
   */
  detect?: (
    db: Db,
    opts: { jobIds: string[] } & Required<Pick<DetectBreaksOptions, 'onStep' | 'onStepStart'>>,
  ) => Promise<{ prewarm?: PrewarmResult | null; stepsMs?: Record<string, number> } | void>;
}

export class BreakDetectionQueue {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;
  private readonly retryDelayMs: number;
  private readonly detect: NonNullable<BreakDetectionQueueOptions['detect']>;
  private readonly progress = new BreakPassProgress();

  constructor(
    private readonly db: Db,
    private readonly onPass?: (jobIds: string[], error: unknown) => void,
    /** True while other jobs are running or being claimed: the pass waits (coalescing). */
    private readonly busy: () => boolean = () => false,
    private readonly maxWaitMs = 120_000,
    opts: BreakDetectionQueueOptions = {},
  ) {
    this.retryDelayMs = opts.retryDelayMs ?? 5_000;
    this.detect = opts.detect ?? detectBreaks;
  }

  schedule(jobId: string): void {
    this.pending.add(jobId);
    this.progress.queued(jobId);
    this.running ??= this.drain();
  }

  /** Where the pass over a job is (the job page); null when the job waits for none here. */
  passProgressOf(jobId: string): BreakPassView | null {
    return this.progress.viewOf(jobId, this.busy());
  }

  /** The pass running now, or the queued one (the breaks page); null when there is none. */
  currentPass(): BreakPassView | null {
    return this.progress.current(this.busy());
  }

  /** Resolves when no pass is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /**
   * Marks the jobs' metrics with the pass that covered them (breaks_detected_at, breaks_detect_ms,
   * and breaks_error when the pass failed: json_merge_patch drops a null, so a later successful
   * pass removes an earlier error): the job page and API show when its breaks were detected, and
   * the end-to-end benchmark waits for it. A failure to record is logged only.
   */
  private async recordPass(
    jobIds: string[], ms: number, error: unknown, attempts: number, prewarm: PrewarmResult | null, stepsMs: Record<string, number> | null,
  ): Promise<void> {
    const patch = JSON.stringify({
      breaks_detected_at: new Date().toISOString(),
      breaks_detect_ms: Math.round(ms),
      breaks_error: error === null ? null : describePassError(error),
      // Only when the pass was tried again (null removes an earlier count).
      breaks_attempts: attempts > 1 ? attempts : null,
      // The drill-down tables read back into the page cache at the end of the pass (in breaks_detect_ms).
      breaks_prewarm: prewarm ? { mb: Math.round(prewarm.bytes / 1e5) / 10, ms: prewarm.ms } : null,
      // Each step's wall time in the server (the successful attempt's), beside other work: where a
      // pass in the server is slower than one alone, this says in which step.
      breaks_steps_ms: stepsMs,
    });
    try {
      await this.db.run(
        // breaks_steps_ms is replaced whole (a merge would keep an earlier pass's other steps).
        `UPDATE jobs SET metrics = json_merge_patch(json_merge_patch(COALESCE(metrics, '{}'), '{"breaks_steps_ms": null}'), ?::JSON)::VARCHAR WHERE id IN (${jobIds.map(() => '?').join(', ')})`,
        [patch, ...jobIds],
      );
    } catch (e) {
      console.error(`break detection: could not record the pass on jobs ${jobIds.join(', ')}:`, e);
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const waitUntil = Date.now() + this.maxWaitMs;
        while (this.busy() && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 100));
        const jobIds = [...this.pending];
        this.pending.clear();
        let error: unknown = null;
        let attempts = 0;
        let prewarm: PrewarmResult | null = null;
        let stepsMs: Record<string, number> | null = null;
        const startedAt = performance.now();
        for (;;) {
          attempts++;
          this.progress.started(jobIds, attempts);
          try {
            const result = await this.detect(this.db, {
              jobIds,
              onStepStart: (step, plan) => this.progress.stepStarted(step, plan),
              onStep: (step, ms) => {
                if (isDetectionStep(step)) this.progress.stepFinished(step, ms);
              },
            });
            prewarm = result?.prewarm ?? null;
            stepsMs = result?.stepsMs ?? null;
            error = null;
            break;
          } catch (e) {
            error = e;
            const again = isDbOutOfMemory(e) && attempts < PASS_ATTEMPTS_ON_OUT_OF_MEMORY;
            console.error(`break detection after jobs ${jobIds.join(', ')} failed (the jobs stay promoted${again ? '; it is tried again' : ''}):`, e);
            if (!again) break;
            this.progress.retrying(this.retryDelayMs);
            await new Promise((r) => setTimeout(r, this.retryDelayMs));
          }
        }
        try {
          await this.recordPass(jobIds, performance.now() - startedAt, error, attempts, prewarm, stepsMs);
        } finally {
          // After the record: the job page then goes from the last step straight to done.
          this.progress.finished();
        }
        this.onPass?.(jobIds, error);
      }
    } finally {
      // Also when the loop stops on an unexpected error: no pass is shown running after it.
      this.progress.finished();
      this.running = null;
    }
  }
}
