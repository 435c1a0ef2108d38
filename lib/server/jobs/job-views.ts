// What the jobs API and pages show of a job: one shape for both (JSON-safe, snake_case).
import type { Db } from '../../../db/open';
import { listAttempts, type AttemptRow } from '../../../db/jobs/attempt-queries';
import { getJob, listJobs, queuedAhead } from '../../../db/jobs/job-queries';
import type { JobContractRef, JobRow, JobStatus } from '../../../db/jobs/job-row';
import { listJobOutputs, listJobOutputsOf, type StoredJobOutput } from '../../../db/jobs/promotion-queries';
import { pipelineRefsOfJobs, type JobPipelineRef } from '../../../db/pipelines/job-pipeline-queries';
import { contractOutputsOf } from './approved-contracts';
import type { DispatcherLookup, JobPromotionView, WorkerSlotsView } from './dispatcher-lookup';
import type { BreakPassStepView, BreakPassView } from './break-pass-progress';
import { DETECTION_STEP_LABELS, isDetectionStep } from '../../breaks';
import { findParser } from './parsers-for-upload';

export interface JobOutputView {
  name: string;
  /** SUCCESS | PARTIAL_SUCCESS | FAILED once the job ran; PENDING before; NOT_RUN when the job failed without a result. */
  status: string;
  rows: number;
  quarantine_rows: number;
}

export interface JobProgressView {
  bytes: number;
  total_bytes: number;
  rows: number;
  rows_per_sec: number;
  /** 0–100 by bytes read; null when the size is unknown. */
  percent: number | null;
  at: string | null;
}

/**
 * The break-detection pass that follows a promotion (break-detection-queue.ts), as recorded in
 * the job's metrics. null until the job is promoted. waiting: no pass has covered the job yet
 * (at 10M messages a pass takes minutes); failed: the last pass over it failed, the rows stay
 * promoted and the next pass recomputes the breaks.
 */
export interface BreakDetectionView {
  state: 'waiting' | 'done' | 'failed';
  at: string | null;
  ms: number | null;
  error: string | null;
  /**
   * While waiting: where the pass is in this server process (queued, or its step), from the
   * dispatcher's queue; null when this process does not know (another process runs it).
   */
  pass?: BreakPassView | null;
  /** Done or failed: the steps of the last pass over the job with their wall times (metrics.breaks_steps_ms), when recorded. */
  steps?: BreakPassStepView[];
}

/** metrics.breaks_steps_ms ({ step: ms } in the order they ran) as labelled steps; unknown names are left out. */
function recordedSteps(value: unknown): BreakPassStepView[] | null {
  if (typeof value !== 'object' || value === null) return null;
  const steps: BreakPassStepView[] = [];
  for (const [step, ms] of Object.entries(value)) {
    if (isDetectionStep(step) && typeof ms === 'number') steps.push({ step, label: DETECTION_STEP_LABELS[step], ms });
  }
  return steps.length > 0 ? steps : null;
}

/** What a QUEUED job waits for. */
export interface JobQueueView {
  /** Jobs the dispatcher claims before this one (created_at, id); null while it waits for its retry time. */
  ahead: number | null;
  /** A job being retried is not claimed before this time. */
  run_after: string | null;
  /** This server's worker slots and the jobs using them; null where no dispatcher runs in the process. */
  slots: WorkerSlotsView | null;
}

export interface JobView {
  id: string;
  status: JobStatus;
  parser: { id: string; version: string; logic_hash: string };
  source: { upload_id: string; name: string | null; sha256: string; bytes: number | null };
  outputs: JobOutputView[];
  progress: JobProgressView | null;
  error: { code: string; message: string } | null;
  /** The error of the last failed attempt of a job that is being retried. */
  last_attempt_error: { code: string; message: string } | null;
  attempts: number;
  max_attempts: number;
  metrics: Record<string, unknown> | null;
  break_detection: BreakDetectionView | null;
  /** QUEUED only: what the job waits for. */
  queue: JobQueueView | null;
  /** RUNNING, its workers done: merged, promoted, or waiting for memory to promote (this server's dispatcher). */
  promotion: JobPromotionView | null;
  quarantine_pct: number | null;
  duration_ms: number | null;
  rows_per_sec: number | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  /** The pipeline run that created the job (name, logical date, snapshot hash); null for an upload by hand. */
  pipeline: JobPipelineRef | null;
}

export interface JobDetailView extends JobView {
  contracts: Record<string, JobContractRef> | null;
  manifest: unknown;
  files: { output: string; kind: 'data' | 'errors'; paths: string[] }[];
  output_details: (StoredJobOutput & { quarantine_pct: number })[];
  attempt_history: AttemptRow[];
}

function pendingOutputs(job: JobRow): JobOutputView[] {
  const parser = findParser(job.parser_id);
  const names = job.contracts ? Object.keys(job.contracts) : parser ? contractOutputsOf(parser) : [];
  const status = job.status === 'FAILED' ? 'NOT_RUN' : 'PENDING';
  return names.map((name) => ({ name, status, rows: 0, quarantine_rows: 0 }));
}

function ms(a: string | null, b: string | null): number | null {
  if (!a) return null;
  const start = Date.parse(a);
  const end = b ? Date.parse(b) : Date.now();
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}

function progressView(job: JobRow): JobProgressView | null {
  const m = job.metrics as { bytes?: number; rows?: number; quarantine_rows?: number; rows_per_sec?: number } | null;
  if ((job.status === 'SUCCESS' || job.status === 'PARTIAL_SUCCESS') && m) {
    const bytes = m.bytes ?? 0;
    return { bytes, total_bytes: bytes, rows: (m.rows ?? 0) + (m.quarantine_rows ?? 0), rows_per_sec: m.rows_per_sec ?? 0, percent: 100, at: job.finished_at };
  }
  const p = job.progress;
  if (!p) return job.status === 'RUNNING' ? { bytes: 0, total_bytes: job.source_bytes ?? 0, rows: 0, rows_per_sec: 0, percent: 0, at: null } : null;
  return {
    bytes: p.bytes,
    total_bytes: p.totalBytes,
    rows: p.rows,
    rows_per_sec: Math.round(p.rowsPerSec),
    percent: p.totalBytes > 0 ? Math.min(100, Math.round((p.bytes / p.totalBytes) * 1000) / 10) : null,
    at: p.at,
  };
}

export function breakDetectionView(job: Pick<JobRow, 'promoted_at' | 'metrics'> & { id?: string }, dispatcher?: Pick<DispatcherLookup, 'breakPassOf'>): BreakDetectionView | null {
  if (!job.promoted_at) return null;
  const m = job.metrics ?? {};
  const at = typeof m.breaks_detected_at === 'string' ? m.breaks_detected_at : null;
  if (at === null) {
    const waiting: BreakDetectionView = { state: 'waiting', at: null, ms: null, error: null };
    return dispatcher && job.id !== undefined ? { ...waiting, pass: dispatcher.breakPassOf(job.id) } : waiting;
  }
  const error = typeof m.breaks_error === 'string' ? m.breaks_error : null;
  const view: BreakDetectionView = { state: error === null ? 'done' : 'failed', at, ms: typeof m.breaks_detect_ms === 'number' ? m.breaks_detect_ms : null, error };
  const steps = recordedSteps(m.breaks_steps_ms);
  return steps ? { ...view, steps } : view;
}

/** The dispatcher of this process, and each claimable QUEUED job's place in the claim order. */
interface LiveState {
  dispatcher?: DispatcherLookup;
  ahead: Map<string, number>;
}

function queueView(job: JobRow, live: LiveState): JobQueueView | null {
  if (job.status !== 'QUEUED') return null;
  return { ahead: live.ahead.get(job.id) ?? null, run_after: job.run_after, slots: live.dispatcher?.workerSlots() ?? null };
}

function toView(job: JobRow, outputs: StoredJobOutput[] | undefined, pipeline: JobPipelineRef | null, live: LiveState): JobView {
  const data = (outputs ?? []).filter((o) => o.kind === 'data');
  const m = job.metrics as { quarantine_pct?: number; rows_per_sec?: number; duration_ms?: number } | null;
  const error = job.error_code && job.status === 'FAILED' ? { code: job.error_code, message: job.error_message ?? '' } : null;
  const lastAttemptError =
    job.error_code && job.status !== 'FAILED' && job.status !== 'SUCCESS' && job.status !== 'PARTIAL_SUCCESS'
      ? { code: job.error_code, message: job.error_message ?? '' }
      : null;
  const running = job.status === 'RUNNING';
  return {
    id: job.id,
    status: job.status,
    parser: { id: job.parser_id, version: job.parser_version, logic_hash: job.logic_hash },
    source: { upload_id: job.upload_id, name: job.source_name, sha256: job.source_sha256, bytes: job.source_bytes },
    outputs:
      data.length > 0
        ? data.map((o) => ({ name: o.output, status: o.status, rows: o.rows, quarantine_rows: o.quarantine_rows }))
        : pendingOutputs(job),
    progress: progressView(job),
    error,
    last_attempt_error: lastAttemptError,
    attempts: job.attempts,
    max_attempts: job.max_attempts,
    metrics: job.metrics,
    break_detection: breakDetectionView(job, live.dispatcher),
    queue: queueView(job, live),
    promotion: job.status === 'RUNNING' ? (live.dispatcher?.promotionOf(job.id) ?? null) : null,
    quarantine_pct: typeof m?.quarantine_pct === 'number' ? m.quarantine_pct : null,
    duration_ms: typeof m?.duration_ms === 'number' ? m.duration_ms : running ? ms(job.started_at, null) : null,
    rows_per_sec: typeof m?.rows_per_sec === 'number' ? m.rows_per_sec : running && job.progress ? Math.round(job.progress.rowsPerSec) : null,
    created_by: job.created_by,
    created_at: job.created_at,
    started_at: job.started_at,
    finished_at: job.finished_at,
    pipeline,
  };
}

export const MAX_JOBS_PAGE = 200;

export interface JobListPage {
  /** Newest first. */
  jobs: JobView[];
  /** The cursor of the page after this one (older jobs), null on the last page. */
  older: string | null;
}

/** A list position: the created_at and id of the last job shown, as an opaque text. */
export function encodeJobCursor(job: { created_at: string; id: string }): string {
  return Buffer.from(JSON.stringify([job.created_at, job.id]), 'utf8').toString('base64url');
}

/** null for a cursor that is not one of ours. */
export function decodeJobCursor(cursor: string): { created_at: string; id: string } | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && /^\d{4}-\d\d-\d\dT[\d:.]+(Z|[+-]\d\d:\d\d)$/.test(v[0]) && typeof v[1] === 'string') {
      return { created_at: v[0], id: v[1] };
    }
  } catch {
    // fall through
  }
  return null;
}

/**
 * A page of the jobs list, newest first: `limit` jobs (default 100) after the `before` cursor's
 * job, and the cursor of the next page. A desk's daily uploads and pipeline runs pass a hundred
 * jobs within weeks; the older ones are a page further, never out of reach.
 */
export async function listJobViews(
  db: Db,
  opts: { limit?: number; status?: JobStatus; before?: { created_at: string; id: string } | null; dispatcher?: DispatcherLookup } = {},
): Promise<JobListPage> {
  const limit = Math.min(MAX_JOBS_PAGE, Math.max(1, opts.limit ?? 100));
  const rows = await listJobs(db, { limit: limit + 1, status: opts.status, before: opts.before });
  const jobs = rows.slice(0, limit);
  const outputs = await listJobOutputsOf(db, jobs.map((j) => j.id));
  const pipelines = await pipelineRefsOfJobs(db, jobs.map((j) => j.id));
  const live: LiveState = { dispatcher: opts.dispatcher, ahead: jobs.some((j) => j.status === 'QUEUED') ? await queuedAhead(db) : new Map() };
  const last = jobs[jobs.length - 1];
  return {
    jobs: jobs.map((j) => toView(j, outputs.get(j.id), pipelines.get(j.id) ?? null, live)),
    older: rows.length > limit && last ? encodeJobCursor(last) : null,
  };
}

export async function jobDetailView(db: Db, id: string, dispatcher?: DispatcherLookup): Promise<JobDetailView | null> {
  const job = await getJob(db, id);
  if (!job) return null;
  const outputs = await listJobOutputs(db, id);
  return {
    ...toView(job, outputs, (await pipelineRefsOfJobs(db, [id])).get(id) ?? null, {
      dispatcher,
      ahead: job.status === 'QUEUED' ? await queuedAhead(db) : new Map(),
    }),
    contracts: job.contracts,
    manifest: job.manifest,
    files: outputs.map((o) => ({ output: o.output, kind: o.kind, paths: o.files })),
    output_details: outputs.map((o) => {
      const total = o.rows + o.quarantine_rows;
      return { ...o, quarantine_pct: total === 0 ? 0 : Math.round((o.quarantine_rows / total) * 10_000) / 100 };
    }),
    attempt_history: await listAttempts(db, id),
  };
}

/** The data outputs a job has (for choosing a quarantine table): from its outputs, else its contracts. */
export async function dataOutputsOf(db: Db, job: JobRow): Promise<string[]> {
  const stored = (await listJobOutputs(db, job.id)).filter((o) => o.kind === 'data').map((o) => o.output);
  if (stored.length > 0) return stored;
  return job.contracts ? Object.keys(job.contracts) : [];
}
