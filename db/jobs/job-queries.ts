// Reads and plain writes of the jobs table. State transitions that need more than one
// statement live in claim-job.ts (QUEUED → RUNNING) and attempt-queries.ts (attempt outcomes).
import type { Db } from '../open';
import { jobRowFrom, type JobProgress, type JobRow, type JobStatus } from './job-row';

export interface NewJob {
  id: string;
  uploadId: string;
  sourcePath: string;
  sourceSha256: string;
  sourceName: string | null;
  sourceBytes: number | null;
  parserId: string;
  parserVersion: string;
  logicHash: string;
  status: Extract<JobStatus, 'QUEUED' | 'AWAITING_CONTRACT'>;
  maxAttempts: number;
  createdBy: string;
}

export async function insertJob(db: Db, job: NewJob): Promise<void> {
  await db.run(
    `INSERT INTO jobs (id, upload_id, source_path, source_sha256, source_name, source_bytes, parser_id,
       parser_version, logic_hash, status, max_attempts, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      job.id, job.uploadId, job.sourcePath, job.sourceSha256, job.sourceName, job.sourceBytes, job.parserId,
      job.parserVersion, job.logicHash, job.status, job.maxAttempts, job.createdBy,
    ],
  );
}

export async function getJob(db: Db, id: string): Promise<JobRow | null> {
  const rows = await db.all(`SELECT * FROM jobs WHERE id = ?`, [id]);
  return rows.length === 0 ? null : jobRowFrom(rows[0]);
}

/** The job that already covers this upload with this parser version, unless it FAILED (a retry by re-upload). */
export async function findLiveJobForUpload(db: Db, uploadId: string, parserId: string, parserVersion: string): Promise<JobRow | null> {
  const rows = await db.all(
    `SELECT * FROM jobs WHERE upload_id = ? AND parser_id = ? AND parser_version = ? AND status <> 'FAILED'
     ORDER BY created_at DESC LIMIT 1`,
    [uploadId, parserId, parserVersion],
  );
  return rows.length === 0 ? null : jobRowFrom(rows[0]);
}

export interface ListJobsOptions {
  limit: number;
  status?: JobStatus;
  /** Only jobs older than this one in the list's order (created_at DESC, id DESC): the next page. */
  before?: { created_at: string; id: string } | null;
}

export async function listJobs(db: Db, opts: ListJobsOptions): Promise<JobRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (opts.status) {
    where.push('status = ?');
    params.push(opts.status);
  }
  if (opts.before) {
    where.push('(created_at < ?::TIMESTAMPTZ OR (created_at = ?::TIMESTAMPTZ AND id < ?))');
    params.push(opts.before.created_at, opts.before.created_at, opts.before.id);
  }
  params.push(opts.limit);
  const rows = await db.all(`SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`, params);
  return rows.map(jobRowFrom);
}

/**
 * For each QUEUED job that can be claimed now (no retry time ahead), how many such jobs the
 * dispatcher claims before it: claim order is created_at, id (claim-job.ts).
 */
export async function queuedAhead(db: Db): Promise<Map<string, number>> {
  const rows = await db.all<{ id: string; ahead: number }>(
    `SELECT id, (row_number() OVER (ORDER BY created_at, id) - 1)::INTEGER AS ahead
     FROM jobs WHERE status = 'QUEUED' AND (run_after IS NULL OR run_after <= current_timestamp)`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.ahead)]));
}

export async function jobsWithStatus(db: Db, status: JobStatus): Promise<JobRow[]> {
  const rows = await db.all(`SELECT * FROM jobs WHERE status = ? ORDER BY created_at, id`, [status]);
  return rows.map(jobRowFrom);
}

/** Progress is advisory (pages, API); it doubles as the persisted heartbeat of a RUNNING job. */
export async function updateJobProgress(db: Db, id: string, progress: JobProgress): Promise<void> {
  await db.run(
    `UPDATE jobs SET progress = ?, heartbeat_at = current_timestamp WHERE id = ? AND status = 'RUNNING'`,
    [JSON.stringify(progress), id],
  );
}

export async function setJobStatus(db: Db, id: string, from: JobStatus, to: JobStatus): Promise<boolean> {
  const rows = await db.all(
    `UPDATE jobs SET status = ?, updated_at = current_timestamp WHERE id = ? AND status = ? RETURNING id`,
    [to, id, from],
  );
  return rows.length === 1;
}

/**
 * Promoted jobs whose break detection pass never ran (the server stopped between promotion and
 * the pass: the queue of pending passes lives in memory). A pass records `breaks_detected_at` in
 * the job's metrics, also when it failed, so a job appears here only until one pass covered it.
 */
export async function jobsAwaitingBreakDetection(db: Db): Promise<string[]> {
  const rows = await db.all<{ id: string }>(
    `SELECT id FROM jobs
     WHERE promoted_at IS NOT NULL AND json_extract_string(COALESCE(metrics, '{}'), '$.breaks_detected_at') IS NULL
     ORDER BY promoted_at, id`,
  );
  return rows.map((r) => r.id);
}
