// What the jobs pages read of this process's dispatcher: where its break-detection passes are,
// and its worker slots. Set by the process's one dispatcher while it runs (startDispatcher), read
// by jobs-service. Kept on globalThis because Next.js bundles route handlers and instrumentation
// into separate module graphs; this way the pages reach the dispatcher without importing it (and
// what it runs).
import type { BreakPassView } from './break-pass-progress';

/** The worker slots of a dispatcher: how many, how many in use, by which jobs. */
export interface WorkerSlotsView {
  slots: number;
  in_use: number;
  /** Jobs with workers running now (a job split into byte ranges uses several slots). */
  job_ids: string[];
}

/**
 * A RUNNING job whose workers are done: its byte ranges being merged, its rows being promoted,
 * or its promotion refused memory by DuckDB and waiting to be tried again (a break-detection pass
 * can hold DuckDB's memory for minutes at 10M messages).
 */
export interface JobPromotionView {
  phase: 'merging' | 'promoting' | 'waiting_for_memory';
  /** When the workers were done (merging) or the promotion began. */
  since: string;
  elapsed_ms: number;
  /** Refusals for memory so far, and the attempts the promotion gets before the job is FAILED. */
  refusals: number;
  attempts: number | null;
  /** waiting_for_memory: when it is tried again. */
  retry_at: string | null;
}

export interface DispatcherLookup {
  /** Where the pass over a job is; null when none is queued or running for it here. */
  breakPassOf(jobId: string): BreakPassView | null;
  /** The pass running now, or the queued one; null when there is none. */
  currentBreakPass(): BreakPassView | null;
  workerSlots(): WorkerSlotsView;
  /** null unless the job's workers are done and it is being merged or promoted here. */
  promotionOf(jobId: string): JobPromotionView | null;
}

type GlobalWithLookup = typeof globalThis & { __workbenchDispatcherLookup?: DispatcherLookup };

export function setDispatcherLookup(lookup: DispatcherLookup | undefined): void {
  (globalThis as GlobalWithLookup).__workbenchDispatcherLookup = lookup;
}

/** undefined without a running dispatcher in this process (a CLI, a server that failed to start one). */
export function dispatcherLookup(): DispatcherLookup | undefined {
  return (globalThis as GlobalWithLookup).__workbenchDispatcherLookup;
}
