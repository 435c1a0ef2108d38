// The jobs table as the code sees it. JSON columns are parsed at this edge; timestamps are
// ISO strings (UTC) as db/open returns them; counts are numbers (they are small integers).

export const JOB_STATUSES = ['QUEUED', 'AWAITING_CONTRACT', 'RUNNING', 'SUCCESS', 'PARTIAL_SUCCESS', 'FAILED'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const FINAL_JOB_STATUSES: readonly JobStatus[] = ['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED'];

/** Progress as the worker last reported it (also persisted, throttled, for pages and the API). */
export interface JobProgress {
  bytes: number;
  totalBytes: number;
  rows: number;
  rowsPerSec: number;
  at: string;
}

/** The approved contract version each output of the job ran against. */
export interface JobContractRef {
  contract_id: string;
  version: number;
  content_hash: string;
}

export interface JobRow {
  id: string;
  upload_id: string;
  source_path: string;
  source_sha256: string;
  source_name: string | null;
  source_bytes: number | null;
  parser_id: string;
  parser_version: string;
  logic_hash: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_after: string | null;
  error_code: string | null;
  error_message: string | null;
  progress: JobProgress | null;
  metrics: Record<string, unknown> | null;
  manifest: unknown;
  contracts: Record<string, JobContractRef> | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  promoted_at: string | null;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function toIso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Turns a raw `SELECT * FROM jobs` row into a JobRow. */
export function jobRowFrom(raw: Record<string, unknown>): JobRow {
  return {
    id: String(raw.id),
    upload_id: String(raw.upload_id),
    source_path: String(raw.source_path),
    source_sha256: String(raw.source_sha256),
    source_name: raw.source_name == null ? null : String(raw.source_name),
    source_bytes: toNumber(raw.source_bytes),
    parser_id: String(raw.parser_id),
    parser_version: String(raw.parser_version),
    logic_hash: String(raw.logic_hash),
    status: String(raw.status) as JobStatus,
    attempts: toNumber(raw.attempts) ?? 0,
    max_attempts: toNumber(raw.max_attempts) ?? 0,
    run_after: toIso(raw.run_after),
    error_code: raw.error_code == null ? null : String(raw.error_code),
    error_message: raw.error_message == null ? null : String(raw.error_message),
    progress: parseJson(raw.progress) as JobProgress | null,
    metrics: parseJson(raw.metrics) as Record<string, unknown> | null,
    manifest: parseJson(raw.manifest),
    contracts: parseJson(raw.contracts) as Record<string, JobContractRef> | null,
    created_by: String(raw.created_by),
    created_at: toIso(raw.created_at) ?? '',
    updated_at: toIso(raw.updated_at) ?? '',
    started_at: toIso(raw.started_at),
    heartbeat_at: toIso(raw.heartbeat_at),
    finished_at: toIso(raw.finished_at),
    promoted_at: toIso(raw.promoted_at),
  };
}
