// Promotion: the only step that makes a job's output visible.
//
// Order (crash-safe; a crash at any point leaves the old state or the new one, never a mix):
//   1. The worker has exited; staging/<job>/ is complete and nobody writes to it any more.
//   2. ONE DuckDB transaction: create/extend the output tables from the approved contracts,
//      load valid rows, quarantined rows and parse errors from the staged Parquet, record the
//      job's outputs (with their final warehouse paths), the job status, metrics and manifest,
//      close the attempt and append the audit entry. COMMIT.
//        - crash before COMMIT: nothing is visible; the job is still RUNNING, so start-up
//          re-queues it and deletes its staging directory (old state).
//   3. Roll forward: rename staging/<job>/<output>/ → warehouse/<output>/job=<job>/, then remove
//      staging/<job>/.
//        - crash during 3: the job is promoted in the database (new state); start-up finds its
//          staging directory, sees promoted_at set, and finishes the renames (never deletes it).
//   4. Break detection for the job's order chains runs afterwards, outside the transaction and
//      off the worker slots (break-detection-queue.ts, scheduled by the dispatcher).
// A FAILED job (any output failed, or promotion refused) promotes nothing: status, metrics and
// audit entry only, and its staging directory is deleted.
import { existsSync } from 'node:fs';
import { copyFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { isDbOutOfMemory } from '../../../db/db-errors';
import type { Db } from '../../../db/open';
import { closeAttempt } from '../../../db/jobs/attempt-queries';
import type { JobRow } from '../../../db/jobs/job-row';
import { insertParseErrors, insertQuarantineRows, insertValidRows } from '../../../db/jobs/load-parquet';
import { deleteJobOutputs, finishJob, insertJobOutput } from '../../../db/jobs/promotion-queries';
import { ensureTable, quarantineTableName, WarehouseSchemaError } from '../../../db/jobs/warehouse-tables';
import { appendAudit } from '../audit/append-audit';
import type { WorkerRunResult } from '../../../worker/ipc-messages';
import type { ContractSnapshot } from './approved-contracts';
import { VALID_FILE_PATTERN, workerProcessFigures } from './combine-range-results';
import { assertOutputName, STAGED_FILES, stagingDirFor, warehouseDirFor } from './job-paths';
import { discardStaging, rollForwardPromotion } from './roll-forward-promotion';
import { retryOnOutOfMemory } from './retry-on-out-of-memory';
import { quarantineColumnsOf, warehouseColumnsOf } from './warehouse-columns';
import { faultPoint } from '../../../worker/fault-points';
import { ioFailureOf } from '../../../worker/io-errors';

/** Control-plane tables an output may never be loaded into. */
const RESERVED_TABLES = new Set([
  'jobs', 'job_outputs', 'job_attempts', 'contracts', 'contract_versions', 'contract_approvals', 'parse_errors',
  'app_markers', 'audit_log', 'users', 'sessions', 'uploads', 'schema_migrations',
]);

export class PromotionError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

export interface PromotionInput {
  db: Db;
  dataDir: string;
  job: JobRow;
  attempt: number;
  errorOutput: string;
  contracts: Record<string, ContractSnapshot>;
  result: WorkerRunResult;
  durationMs: number;
  /** Pauses before each retry of a transaction DuckDB refused for memory (the dispatcher's setting, PROMOTION_OUT_OF_MEMORY_PAUSES_MS by default). */
  outOfMemoryPausesMs: readonly number[];
  /** Told of each such refusal before its pause (the dispatcher shows the wait on the job page). */
  onRefusedForMemory?: (refusal: { attempt: number; attempts: number; pauseMs: number }) => void;
}

export interface PromotionOutcome {
  status: 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED';
  promoted: boolean;
  error: { code: string; message: string } | null;
}

function relativeToData(dataDir: string, file: string): string {
  return path.relative(dataDir, file).split(path.sep).join('/');
}

function outputFailures(result: WorkerRunResult): string {
  const problems = Array.isArray(result.problems) ? (result.problems as { code?: unknown; message?: unknown }[]) : [];
  const parts = problems.map((p) => `${String(p.code ?? 'pipeline.problem')}: ${String(p.message ?? '')}`);
  for (const [name, o] of Object.entries(result.outputs)) {
    if (o.status !== 'FAILED') continue;
    const why = typeof o.message === 'string' && o.message ? o.message : typeof o.reason === 'string' ? o.reason : 'failed';
    parts.push(`${name}: ${why}`);
  }
  return parts.join('; ').slice(0, 2000);
}

export function jobMetrics(job: JobRow, result: WorkerRunResult, errorOutput: string, durationMs: number): Record<string, unknown> {
  let rows = 0;
  let quarantineRows = 0;
  for (const [name, o] of Object.entries(result.outputs)) {
    if (name === errorOutput) continue;
    rows += o.rows;
    quarantineRows += o.quarantine_rows;
  }
  const summary = (result.parse_summary ?? {}) as { bytesRead?: unknown; parseErrors?: Record<string, unknown>; messages?: unknown };
  const parseErrors = Object.values(summary.parseErrors ?? {}).reduce<number>((n, v) => n + (Number(v) || 0), 0);
  const bytes = typeof summary.bytesRead === 'number' ? summary.bytesRead : (job.source_bytes ?? 0);
  const total = rows + quarantineRows;
  return {
    rows,
    quarantine_rows: quarantineRows,
    quarantine_pct: total === 0 ? 0 : Math.round((quarantineRows / total) * 10_000) / 100,
    parse_errors: parseErrors,
    messages: typeof summary.messages === 'number' ? summary.messages : null,
    bytes,
    duration_ms: durationMs,
    rows_per_sec: durationMs > 0 ? Math.round((total / durationMs) * 1000) : null,
    // Worker processes of the attempt (one, or one per byte range) and their own peak RSS (E, issue 9).
    workers: Array.isArray(result.workers)
      ? result.workers
      : [{ range: null, ...workerProcessFigures(result) }],
  };
}

/** Loads one data output inside the promotion transaction; returns its job_outputs files. */
async function loadDataOutput(tx: Db, p: PromotionInput, output: string, snapshot: ContractSnapshot): Promise<string[]> {
  const table = assertOutputName(output);
  if (RESERVED_TABLES.has(table) || RESERVED_TABLES.has(quarantineTableName(table))) {
    throw new PromotionError('promotion.reserved_table', `output ${output} would overwrite a control-plane table`);
  }
  await ensureTable(tx, table, warehouseColumnsOf(snapshot.document, p.job.parser_id, output));
  await ensureTable(tx, quarantineTableName(table), quarantineColumnsOf(snapshot.document));
  const staged = path.join(stagingDirFor(p.dataDir, p.job.id), output);
  const final = warehouseDirFor(p.dataDir, output, p.job.id);
  const expected = p.result.outputs[output];
  const files: string[] = [];
  // valid.parquet (one worker) or valid-<kkk>.parquet per byte-range part, loaded in range order (E, issue 9).
  let validRows = 0;
  for (const name of existsSync(staged) ? (await readdir(staged)).filter((f) => VALID_FILE_PATTERN.test(f)).sort() : []) {
    validRows += await insertValidRows(tx, table, path.join(staged, name));
    files.push(relativeToData(p.dataDir, path.join(final, name)));
  }
  const quarantine = path.join(staged, STAGED_FILES.quarantine);
  const quarantineRows = existsSync(quarantine) ? await insertQuarantineRows(tx, quarantineTableName(table), quarantine) : 0;
  if (existsSync(quarantine)) files.push(relativeToData(p.dataDir, path.join(final, STAGED_FILES.quarantine)));
  // The files must hold exactly what the worker reported: anything else is a torn staging directory.
  if (validRows !== (expected?.rows ?? 0) || quarantineRows !== (expected?.quarantine_rows ?? 0)) {
    throw new PromotionError(
      'promotion.count_mismatch',
      `${output}: staged files hold ${validRows} valid / ${quarantineRows} quarantined rows, the worker reported ${expected?.rows ?? 0} / ${expected?.quarantine_rows ?? 0}`,
    );
  }
  return files;
}

async function copyManifestIntoOutputs(p: PromotionInput, outputs: string[]): Promise<void> {
  const staging = stagingDirFor(p.dataDir, p.job.id);
  const manifest = path.join(staging, STAGED_FILES.manifest);
  if (!existsSync(manifest)) return;
  for (const output of outputs) {
    const dir = path.join(staging, output);
    if (existsSync(dir)) await copyFile(manifest, path.join(dir, STAGED_FILES.manifest));
  }
}

async function promoteOutputs(p: PromotionInput): Promise<PromotionOutcome> {
  const { db, job, result } = p;
  const status = result.status as 'SUCCESS' | 'PARTIAL_SUCCESS';
  const dataOutputs = Object.keys(p.contracts);
  await copyManifestIntoOutputs(p, [...dataOutputs, p.errorOutput]);
  await db.transaction(async (tx) => {
    await deleteJobOutputs(tx, job.id);
    for (const output of dataOutputs) {
      const files = await loadDataOutput(tx, p, output, p.contracts[output]);
      const o = result.outputs[output];
      const s = p.contracts[output];
      await insertJobOutput(tx, {
        jobId: job.id, output, kind: 'data', status: o?.status ?? 'SUCCESS', rows: o?.rows ?? 0,
        quarantineRows: o?.quarantine_rows ?? 0, violations: o?.violations ?? {}, resultHash: o?.result_hash ?? null,
        contract: { contract_id: s.contract_id, version: s.version, content_hash: s.content_hash }, files, promoted: true,
      });
    }
    const errorsFile = path.join(stagingDirFor(p.dataDir, job.id), p.errorOutput, STAGED_FILES.errors);
    const errorFiles: string[] = [];
    let parseErrors = 0;
    if (existsSync(errorsFile)) {
      parseErrors = await insertParseErrors(tx, job.id, p.errorOutput, errorsFile);
      errorFiles.push(relativeToData(p.dataDir, path.join(warehouseDirFor(p.dataDir, p.errorOutput, job.id), STAGED_FILES.errors)));
    }
    await insertJobOutput(tx, {
      jobId: job.id, output: p.errorOutput, kind: 'errors', status: 'SUCCESS', rows: parseErrors, quarantineRows: 0,
      violations: {}, resultHash: null, contract: null, files: errorFiles, promoted: true,
    });
    const metrics = jobMetrics(job, result, p.errorOutput, p.durationMs);
    const finished = await finishJob(tx, {
      jobId: job.id, attempt: p.attempt, status, promoted: true, error: null, metrics, manifest: result.manifest,
    });
    if (!finished) throw new PromotionError('promotion.stale_attempt', `job ${job.id} is no longer running attempt ${p.attempt}`);
    await closeAttempt(tx, job.id, p.attempt, 'completed', null);
    await appendAudit(tx, {
      actor: 'system',
      action: 'job.promoted',
      subject: `job:${job.id}`,
      details: {
        status,
        source_sha256: job.source_sha256,
        parser: { id: job.parser_id, version: job.parser_version, logic_hash: job.logic_hash },
        contracts: Object.fromEntries(dataOutputs.map((o) => [o, { version: p.contracts[o].version, content_hash: p.contracts[o].content_hash }])),
        rows: metrics.rows,
        quarantine_rows: metrics.quarantine_rows,
        parse_errors: parseErrors,
      },
    });
    faultPoint('promotion_before_commit'); // reliability (helper C): crash with every row loaded, before COMMIT
  });
  return { status, promoted: true, error: null };
}

/** The job's error when DuckDB refused the promotion for memory every time it was tried. */
function outOfMemoryFailure(pauses: readonly number[]): { code: string; message: string } {
  const seconds = Math.round(pauses.reduce((a, b) => a + b, 0) / 1000);
  return {
    code: 'promotion.out_of_memory',
    message: `the database had no memory left to load the rows, ${pauses.length + 1} times over ${seconds} s (a long statement such as a break-detection pass was holding it); upload the file again once it has finished`,
  };
}

/** Records a FAILED job: outputs and metrics for the job page, nothing loaded, staging discarded. */
export async function recordFailedJob(p: PromotionInput, error: { code: string; message: string }): Promise<PromotionOutcome> {
  const { db, job, result } = p;
  await retryOnOutOfMemory(`recording job ${job.id} as failed`, () => db.transaction(async (tx) => {
    await deleteJobOutputs(tx, job.id);
    for (const [output, o] of Object.entries(result.outputs)) {
      if (output === p.errorOutput) continue;
      const s = p.contracts[output];
      await insertJobOutput(tx, {
        jobId: job.id, output, kind: 'data', status: o.status, rows: o.rows, quarantineRows: o.quarantine_rows,
        violations: o.violations, resultHash: o.result_hash ?? null,
        contract: s ? { contract_id: s.contract_id, version: s.version, content_hash: s.content_hash } : null, files: [], promoted: false,
      });
    }
    const metrics = jobMetrics(job, result, p.errorOutput, p.durationMs);
    const finished = await finishJob(tx, {
      jobId: job.id, attempt: p.attempt, status: 'FAILED', promoted: false, error, metrics, manifest: result.manifest,
    });
    if (!finished) throw new PromotionError('promotion.stale_attempt', `job ${job.id} is no longer running attempt ${p.attempt}`);
    await closeAttempt(tx, job.id, p.attempt, 'completed', error);
    await appendAudit(tx, {
      actor: 'system',
      action: 'job.failed',
      subject: `job:${job.id}`,
      details: { code: error.code, message: error.message, source_sha256: job.source_sha256, parser_id: job.parser_id },
    });
  }), p.outOfMemoryPausesMs, p.onRefusedForMemory);
  await discardStaging(p.dataDir, job.id);
  return { status: 'FAILED', promoted: false, error };
}

/**
 * Promotes a finished attempt's result, or records the job FAILED. A promotion the database
 * refuses (schema conflict, count mismatch) rolls back whole and the job is FAILED with that code.
 */
export async function promoteJob(p: PromotionInput): Promise<PromotionOutcome> {
  if (p.result.status === 'FAILED') {
    return recordFailedJob(p, { code: 'job.output_failed', message: outputFailures(p.result) || 'an output failed' });
  }
  let outcome: PromotionOutcome;
  const pauses = p.outOfMemoryPausesMs;
  try {
    outcome = await retryOnOutOfMemory(`promotion of job ${p.job.id}`, () => promoteOutputs(p), pauses, p.onRefusedForMemory);
  } catch (e) {
    if (e instanceof PromotionError && e.code === 'promotion.stale_attempt') throw e;
    // Reliability (helper C): an I/O failure (disk full while loading) gets its stable io.* code.
    const io = e instanceof PromotionError || e instanceof WarehouseSchemaError ? null : ioFailureOf(e);
    const known = e instanceof PromotionError || e instanceof WarehouseSchemaError ? e : isDbOutOfMemory(e) ? outOfMemoryFailure(pauses) : null;
    const code = known ? known.code : (io?.code ?? 'promotion.failed');
    const message = known ? known.message : (io?.message ?? 'the output could not be loaded');
    if (code === 'promotion.failed') console.error(`promotion of job ${p.job.id} failed:`, e);
    return recordFailedJob(p, { code, message });
  }
  // Committed: from here on the job is promoted whatever happens; a crash before the renames
  // finish is completed at start-up (recover-on-start.ts).
  faultPoint('promotion_after_commit'); // reliability (helper C): crash after COMMIT, before the warehouse renames
  await rollForwardPromotion(p.dataDir, p.job.id);
  return outcome;
}
