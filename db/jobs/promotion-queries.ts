// The writes of promotion, run inside its one transaction (see lib/server/jobs/promote-job.ts).
import type { Db } from '../open';
import type { JobStatus } from './job-row';

export interface JobOutputRow {
  jobId: string;
  output: string;
  kind: 'data' | 'errors';
  status: string;
  rows: number;
  quarantineRows: number;
  violations: Record<string, number>;
  resultHash: string | null;
  contract: { contract_id: string; version: number; content_hash: string } | null;
  /** Paths relative to DATA_DIR, where the files are once promotion completes. */
  files: string[];
  promoted: boolean;
}

export async function insertJobOutput(db: Db, o: JobOutputRow): Promise<void> {
  await db.run(
    `INSERT INTO job_outputs (job_id, output, kind, status, rows, quarantine_rows, violations, result_hash,
       contract_id, contract_version, contract_hash, files, promoted)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      o.jobId, o.output, o.kind, o.status, o.rows, o.quarantineRows, JSON.stringify(o.violations), o.resultHash,
      o.contract?.contract_id ?? null, o.contract?.version ?? null, o.contract?.content_hash ?? null,
      JSON.stringify(o.files), o.promoted,
    ],
  );
}

/** Removes what an earlier, rolled-back or abandoned, attempt may have recorded for the job's outputs. */
export async function deleteJobOutputs(db: Db, jobId: string): Promise<void> {
  await db.run(`DELETE FROM job_outputs WHERE job_id = ?`, [jobId]);
}

/**
 * RUNNING → final status, guarded by the attempt: a stale attempt (the job was re-queued
 * meanwhile) finishes nothing. Returns false when the guard did not match.
 */
export async function finishJob(
  db: Db,
  f: {
    jobId: string;
    attempt: number;
    status: Extract<JobStatus, 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED'>;
    promoted: boolean;
    error: { code: string; message: string } | null;
    metrics: Record<string, unknown>;
    manifest: unknown;
  },
): Promise<boolean> {
  const rows = await db.all(
    `UPDATE jobs SET status = ?, error_code = ?, error_message = ?, metrics = ?, manifest = ?,
       finished_at = current_timestamp, updated_at = current_timestamp,
       promoted_at = CASE WHEN ? THEN current_timestamp ELSE NULL END
     WHERE id = ? AND status = 'RUNNING' AND attempts = ? RETURNING id`,
    [
      f.status, f.error?.code ?? null, f.error?.message ?? null, JSON.stringify(f.metrics),
      f.manifest == null ? null : JSON.stringify(f.manifest), f.promoted, f.jobId, f.attempt,
    ],
  );
  return rows.length === 1;
}

export interface StoredJobOutput {
  output: string;
  kind: 'data' | 'errors';
  status: string;
  rows: number;
  quarantine_rows: number;
  violations: Record<string, number>;
  result_hash: string | null;
  contract_id: string | null;
  contract_version: number | null;
  contract_hash: string | null;
  files: string[];
  promoted: boolean;
}

function jobOutputFrom(r: Record<string, unknown>): StoredJobOutput {
  return {
    output: String(r.output),
    kind: String(r.kind) as 'data' | 'errors',
    status: String(r.status),
    rows: Number(r.rows),
    quarantine_rows: Number(r.quarantine_rows),
    violations: JSON.parse(String(r.violations ?? '{}')) as Record<string, number>,
    result_hash: r.result_hash == null ? null : String(r.result_hash),
    contract_id: r.contract_id == null ? null : String(r.contract_id),
    contract_version: r.contract_version == null ? null : Number(r.contract_version),
    contract_hash: r.contract_hash == null ? null : String(r.contract_hash),
    files: JSON.parse(String(r.files ?? '[]')) as string[],
    promoted: r.promoted === true || r.promoted === 'true',
  };
}

export async function listJobOutputs(db: Db, jobId: string): Promise<StoredJobOutput[]> {
  const rows = await db.all(`SELECT * FROM job_outputs WHERE job_id = ? ORDER BY kind, output`, [jobId]);
  return rows.map(jobOutputFrom);
}

/** Whether the job's promotion committed: its staging directory, if still there, must be rolled forward. */
export async function isJobPromoted(db: Db, jobId: string): Promise<boolean> {
  const rows = await db.all(`SELECT 1 AS one FROM jobs WHERE id = ? AND promoted_at IS NOT NULL`, [jobId]);
  return rows.length === 1;
}

/** job_outputs of several jobs at once (the jobs list), keyed by job id. */
export async function listJobOutputsOf(db: Db, jobIds: readonly string[]): Promise<Map<string, StoredJobOutput[]>> {
  const out = new Map<string, StoredJobOutput[]>();
  if (jobIds.length === 0) return out;
  const placeholders = jobIds.map(() => '?').join(', ');
  const rows = await db.all(`SELECT * FROM job_outputs WHERE job_id IN (${placeholders}) ORDER BY job_id, kind, output`, [...jobIds]);
  for (const r of rows) {
    const id = String(r.job_id);
    const list = out.get(id) ?? [];
    list.push(jobOutputFrom(r));
    out.set(id, list);
  }
  return out;
}
