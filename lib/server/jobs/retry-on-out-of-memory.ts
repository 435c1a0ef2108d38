import { isDbOutOfMemory } from '../../../db/db-errors';

/**
 * Pauses before each retry of a promotion that DuckDB refused for memory, about two minutes in
 * all. A promotion runs beside whatever else the server does: a break-detection pass over 10M
 * messages can hold DuckDB's whole memory limit for minutes (docs/performance.md, "Other
 * statements during a 10M pass"), and a job uploaded then would otherwise end FAILED for a
 * condition that passes. The refused transaction is rolled back whole, and the staged files are
 * untouched, so trying it again is safe.
 */
export const PROMOTION_OUT_OF_MEMORY_PAUSES_MS: readonly number[] = [2_000, 5_000, 10_000, 20_000, 30_000, 60_000];

/**
 * Runs `fn`; while DuckDB refuses it for memory, waits the next pause and runs it again. Throws
 * the last refusal once the pauses are used up, and any other error at once.
 */
export async function retryOnOutOfMemory<T>(
  what: string,
  fn: () => Promise<T>,
  pausesMs: readonly number[],
  /** Told of each refusal that is followed by a pause (the job page shows the wait). */
  onRefused?: (refusal: { attempt: number; attempts: number; pauseMs: number }) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isDbOutOfMemory(e) || attempt > pausesMs.length) throw e;
      const pause = pausesMs[attempt - 1];
      console.error(`${what}: DuckDB refused it for memory (attempt ${attempt} of ${pausesMs.length + 1}); trying again in ${pause} ms`);
      onRefused?.({ attempt, attempts: pausesMs.length + 1, pauseMs: pause });
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}
