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
import type { Db } from '../../../db/open';
import { detectBreaks } from '../../../db/breaks/detect-breaks';

export class BreakDetectionQueue {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly onPass?: (jobIds: string[], error: unknown) => void,
    /** True while other jobs are running or being claimed: the pass waits (coalescing). */
    private readonly busy: () => boolean = () => false,
    private readonly maxWaitMs = 120_000,
  ) {}

  schedule(jobId: string): void {
    this.pending.add(jobId);
    this.running ??= this.drain();
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
  private async recordPass(jobIds: string[], ms: number, error: unknown): Promise<void> {
    const patch = JSON.stringify({
      breaks_detected_at: new Date().toISOString(),
      breaks_detect_ms: Math.round(ms),
      breaks_error: error === null ? null : error instanceof Error ? error.message.slice(0, 500) : String(error).slice(0, 500),
    });
    try {
      await this.db.run(
        `UPDATE jobs SET metrics = json_merge_patch(COALESCE(metrics, '{}'), ?::JSON)::VARCHAR WHERE id IN (${jobIds.map(() => '?').join(', ')})`,
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
        const startedAt = performance.now();
        try {
          await detectBreaks(this.db, { jobIds });
        } catch (e) {
          error = e;
          console.error(`break detection after jobs ${jobIds.join(', ')} failed (the jobs stay promoted):`, e);
        }
        await this.recordPass(jobIds, performance.now() - startedAt, error);
        this.onPass?.(jobIds, error);
      }
    } finally {
      this.running = null;
    }
  }
}
