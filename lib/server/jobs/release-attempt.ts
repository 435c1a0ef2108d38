// Release: what happens to a job once an attempt at it has ended. Invariant: every claimed
// attempt is released exactly once, whatever its outcome; after release the job is QUEUED
// (retry, with backoff), promoted (SUCCESS / PARTIAL_SUCCESS) or FAILED, never left RUNNING.
import type { Db } from '../../../db/open';
import { abandonRunningJob, closeAttempt, failJob, requeueJob } from '../../../db/jobs/attempt-queries';
import type { JobStatus } from '../../../db/jobs/job-row';
import { appendAudit } from '../audit/append-audit';
import type { ClaimedJob } from './claim-next-job';
import { promoteJob, type PromotionInput } from './promote-job';
import { discardStaging } from './roll-forward-promotion';
import type { AttemptOutcome } from './run-attempt';

export interface ReleaseContext {
  db: Db;
  dataDir: string;
  /** Backoff before retry n (1-based) is retryBaseMs × 2^(n-1), capped at a minute. */
  retryBaseMs: number;
  /** Pauses before each retry of a promotion DuckDB refused for memory (retry-on-out-of-memory.ts). */
  promotionMemoryPausesMs: readonly number[];
  /** Told of each such refusal before its pause. */
  onPromotionRefusedForMemory?: PromotionInput['onRefusedForMemory'];
}

export function retryDelayMs(retryBaseMs: number, failedAttempt: number): number {
  return Math.min(60_000, retryBaseMs * 2 ** Math.max(0, failedAttempt - 1));
}

export interface Released {
  status: JobStatus;
  error: { code: string; message: string } | null;
  /** True when this release made the job's output visible. */
  promoted: boolean;
}

export async function releaseAttempt(ctx: ReleaseContext, claimed: ClaimedJob, outcome: AttemptOutcome, durationMs: number): Promise<Released> {
  const { db, dataDir } = ctx;
  const { job, attempt } = claimed;
  if (outcome.kind === 'result') {
    const r = await promoteJob({
      db, dataDir, job, attempt, errorOutput: claimed.parser?.errorOutput ?? '', contracts: claimed.contracts,
      result: outcome.result, durationMs, outOfMemoryPausesMs: ctx.promotionMemoryPausesMs, onRefusedForMemory: ctx.onPromotionRefusedForMemory,
    });
    return { status: r.status, error: r.error, promoted: r.promoted };
  }
  // No result: whatever the worker left in staging is discarded before anything else is decided.
  await discardStaging(dataDir, job.id);
  // An unexpected exception's text (paths, internals) goes to the server log, not to the job
  // row that pages and the API show.
  const error =
    outcome.code === 'job.worker_error'
      ? { code: outcome.code, message: 'The worker failed with an unexpected error (details in the server log).' }
      : { code: outcome.code, message: outcome.message };
  if (outcome.code === 'job.worker_error') console.error(`job ${job.id} attempt ${attempt}: worker error: ${outcome.message}`);
  if (outcome.code === 'job.stopped') {
    await db.transaction(async (tx) => {
      await abandonRunningJob(tx, job.id, 'the server stopped during the attempt');
      await appendAudit(tx, { actor: 'system', action: 'job.requeued', subject: `job:${job.id}`, details: { attempt, reason: 'server stopping' } });
    });
    return { status: 'QUEUED', error, promoted: false };
  }
  const retry = outcome.retryable && attempt < job.max_attempts;
  await db.transaction(async (tx) => {
    await closeAttempt(tx, job.id, attempt, 'failed', error);
    if (retry) await requeueJob(tx, job.id, retryDelayMs(ctx.retryBaseMs, attempt), error);
    else await failJob(tx, job.id, error, null, null);
    await appendAudit(tx, {
      actor: 'system',
      action: retry ? 'job.attempt_failed' : 'job.failed',
      subject: `job:${job.id}`,
      details: { attempt, max_attempts: job.max_attempts, code: error.code, message: error.message },
    });
  });
  return { status: retry ? 'QUEUED' : 'FAILED', error, promoted: false };
}
