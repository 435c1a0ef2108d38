// QUEUED → RUNNING. One writer process claims (the dispatcher in the server), so the
// conditional UPDATE is enough to make a claim exclusive: a job is claimed at most once per attempt.
import type { Db } from '../open';
import { jobRowFrom, type JobContractRef, type JobRow } from './job-row';

/**
 * Claims the oldest QUEUED job whose backoff has elapsed: status RUNNING, attempts + 1, the
 * contract versions it will run against recorded, and a job_attempts row opened.
 * Returns null when nothing is ready.
 */
export async function claimNextJob(
  db: Db,
  contractsFor: (job: JobRow) => Promise<Record<string, JobContractRef> | null>,
): Promise<JobRow | null> {
  return db.transaction(async (tx) => {
    const candidates = await tx.all(
      `SELECT * FROM jobs WHERE status = 'QUEUED' AND (run_after IS NULL OR run_after <= current_timestamp)
       ORDER BY created_at, id LIMIT 1`,
    );
    if (candidates.length === 0) return null;
    const candidate = jobRowFrom(candidates[0]);
    const contracts = await contractsFor(candidate);
    if (contracts === null) {
      // An approved contract was superseded without a successor: the job waits again.
      await tx.run(
        `UPDATE jobs SET status = 'AWAITING_CONTRACT', updated_at = current_timestamp WHERE id = ? AND status = 'QUEUED'`,
        [candidate.id],
      );
      return null;
    }
    const claimed = await tx.all(
      `UPDATE jobs SET status = 'RUNNING', attempts = attempts + 1, contracts = ?, progress = NULL,
         started_at = current_timestamp, heartbeat_at = current_timestamp, updated_at = current_timestamp
       WHERE id = ? AND status = 'QUEUED' RETURNING *`,
      [JSON.stringify(contracts), candidate.id],
    );
    if (claimed.length === 0) return null;
    const job = jobRowFrom(claimed[0]);
    await tx.run(`INSERT INTO job_attempts (job_id, attempt) VALUES (?, ?)`, [job.id, job.attempts]);
    return job;
  });
}
