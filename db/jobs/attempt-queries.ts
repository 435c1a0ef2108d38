// Outcomes of one attempt of a job. An attempt that did not deliver a result (crash, hang,
// timeout, worker error) is `failed`; the job is then re-queued with a backoff or, when its
// attempts are used up, FAILED. A RUNNING job found at start-up had its attempt `abandoned`.
import type { Db } from '../open';

export async function setAttemptPid(db: Db, jobId: string, attempt: number, pid: number): Promise<void> {
  await db.run(`UPDATE job_attempts SET worker_pid = ? WHERE job_id = ? AND attempt = ?`, [pid, jobId, attempt]);
}

export async function closeAttempt(
  db: Db,
  jobId: string,
  attempt: number,
  outcome: 'completed' | 'failed' | 'abandoned',
  error: { code: string; message: string } | null,
): Promise<void> {
  await db.run(
    `UPDATE job_attempts SET finished_at = current_timestamp, outcome = ?, error_code = ?, error_message = ?
     WHERE job_id = ? AND attempt = ? AND outcome IS NULL`,
    [outcome, error?.code ?? null, error?.message ?? null, jobId, attempt],
  );
}

/** RUNNING → QUEUED, runnable again after `delayMs`; the last error stays visible on the job. */
export async function requeueJob(db: Db, jobId: string, delayMs: number, error: { code: string; message: string }): Promise<void> {
  await db.run(
    `UPDATE jobs SET status = 'QUEUED', run_after = current_timestamp + to_milliseconds(CAST(? AS BIGINT)),
       error_code = ?, error_message = ?, progress = NULL, updated_at = current_timestamp
     WHERE id = ? AND status = 'RUNNING'`,
    [Math.max(0, Math.round(delayMs)), error.code, error.message, jobId],
  );
}

/** Final failure without output (attempts used up, or a failure that no retry can fix). */
export async function failJob(
  db: Db,
  jobId: string,
  error: { code: string; message: string },
  metrics: Record<string, unknown> | null,
  manifest: unknown,
): Promise<void> {
  await db.run(
    `UPDATE jobs SET status = 'FAILED', error_code = ?, error_message = ?, metrics = ?, manifest = ?,
       finished_at = current_timestamp, updated_at = current_timestamp
     WHERE id = ? AND status = 'RUNNING'`,
    [error.code, error.message, metrics ? JSON.stringify(metrics) : null, manifest == null ? null : JSON.stringify(manifest), jobId],
  );
}

export interface AttemptRow {
  attempt: number;
  worker_pid: number | null;
  started_at: string;
  finished_at: string | null;
  outcome: string | null;
  error_code: string | null;
  error_message: string | null;
}

export async function listAttempts(db: Db, jobId: string): Promise<AttemptRow[]> {
  const rows = await db.all(
    `SELECT attempt, worker_pid, started_at, finished_at, outcome, error_code, error_message
     FROM job_attempts WHERE job_id = ? ORDER BY attempt`,
    [jobId],
  );
  return rows.map((r) => ({
    attempt: Number(r.attempt),
    worker_pid: r.worker_pid == null ? null : Number(r.worker_pid),
    started_at: String(r.started_at),
    finished_at: r.finished_at == null ? null : String(r.finished_at),
    outcome: r.outcome == null ? null : String(r.outcome),
    error_code: r.error_code == null ? null : String(r.error_code),
    error_message: r.error_message == null ? null : String(r.error_message),
  }));
}

/**
 * RUNNING → QUEUED after the server stopped or crashed under the attempt. The attempt was not
 * the job's fault, so it does not count against the job: max_attempts grows by one (attempt
 * numbers stay unique in job_attempts).
 */
export async function abandonRunningJob(db: Db, jobId: string, reason: string): Promise<boolean> {
  const rows = await db.all<{ attempts: number }>(
    `UPDATE jobs SET status = 'QUEUED', run_after = NULL, max_attempts = max_attempts + 1, progress = NULL,
       error_code = 'job.abandoned', error_message = ?, updated_at = current_timestamp
     WHERE id = ? AND status = 'RUNNING' RETURNING attempts`,
    [reason, jobId],
  );
  if (rows.length === 0) return false;
  await closeAttempt(db, jobId, Number(rows[0].attempts), 'abandoned', { code: 'job.abandoned', message: reason });
  return true;
}
