// Break detection after promotions, off the dispatcher's worker slots: promoted job ids are
// collected and detection runs one pass at a time over every job promoted since the last pass
// (detectBreaks(db, { jobIds })). Its failure never un-promotes a job: the job's output is
// visible and correct; the failure is logged and the next pass (or `workbench breaks`)
// recomputes the breaks.
import type { Db } from '../../../db/open';
import { detectBreaks } from '../../../db/breaks/detect-breaks';

export class BreakDetectionQueue {
  private readonly pending = new Set<string>();
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly onPass?: (jobIds: string[], error: unknown) => void,
  ) {}

  schedule(jobId: string): void {
    this.pending.add(jobId);
    this.running ??= this.drain();
  }

  /** Resolves when no pass is running or pending. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.size > 0) {
        const jobIds = [...this.pending];
        this.pending.clear();
        let error: unknown = null;
        try {
          await detectBreaks(this.db, { jobIds });
        } catch (e) {
          error = e;
          console.error(`break detection after jobs ${jobIds.join(', ')} failed (the jobs stay promoted):`, e);
        }
        this.onPass?.(jobIds, error);
      }
    } finally {
      this.running = null;
    }
  }
}
