// The merge of a job's byte-range parts (run-ranged-attempt.ts) into one result, as if one
// worker had read the whole file:
// - counts (valid, quarantined, parsed rows, violations, parse errors, parse summary) are sums;
// - each output's status is decided here, over the sums, with the job's quarantine policy (the
//   parts do not apply it); a part that failed on shape or a job-level problem fails the job;
// - result_hash from H and the parts' run records in range order (lib/pipeline/result-hasher.ts:
//   the edge runs of adjacent parts joined), the value one worker computes;
// - files move into the layout promotion reads: `<output>/valid-<kkk>.parquet` per part in range
//   order (promotion loads them in that order), one `<output>/quarantine.parquet` and one
//   `<errorOutput>/errors.parquet` (merged in range order when several parts have some, so
//   `_q_row` — the position in the job's quarantine file — is global), and manifest.json.
// A FAILED job moves nothing (promotion discards the staging directory).
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../db/open';
import { quoteString } from '../../../db/sql';
import { parseContractDocument, scopeId, type QuarantinePolicy } from '../../contracts';
import { aggregateJobStatus, decideOutputStatus, type OutputStatus } from '../../pipeline/output-status';
import { RunRecordMerger } from '../../pipeline/result-hasher';
import { buildRunManifest, type ManifestOutputInput } from '../../pipeline/run-manifest';
import type { JobSpec, WorkerRunResult } from '../../../worker/ipc-messages';
import type { ByteRange } from './plan-byte-ranges';
import { STAGED_FILES } from './job-paths';

/** Kept in sync with worker/run-pipeline.ts RUN_RECORDS_FILE (not imported: that module pulls in the pipeline). */
const RUN_RECORDS_FILE = 'result-runs.bin';
const HEADER_BYTES = 32;

export interface RangePart {
  range: ByteRange;
  /** The part's staging directory. */
  dir: string;
  result: WorkerRunResult;
}

export interface CombineInput {
  db: Db;
  spec: JobSpec;
  errorOutput: string;
  parts: RangePart[];
  /** Parts run a second time with a corrected message index base. */
  reruns: number;
}

type PartOutput = WorkerRunResult['outputs'][string] & {
  reason?: string | null;
  message?: string;
  parsed_rows?: number;
  contract_hash?: string | null;
  shape?: unknown;
};

/** Sums numbers, merges objects key by key; other values: equal → kept, else 'mixed'. */
export function mergeSummaries(a: unknown, b: unknown): unknown {
  if (a === undefined || a === null) return b;
  if (b === undefined || b === null) return a;
  if (typeof a === 'number' && typeof b === 'number') return a + b;
  if (typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b as Record<string, unknown>)) out[k] = mergeSummaries(out[k], v);
    return out;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? a : 'mixed';
}

function policyFor(spec: JobSpec, output: string): QuarantinePolicy | null {
  const given = spec.quarantinePolicies?.[output];
  if (given) return given as QuarantinePolicy;
  const snapshot = spec.contracts[output];
  if (!snapshot) return null;
  const parsed = parseContractDocument(snapshot.document);
  return parsed.ok ? parsed.contract.quarantine : null;
}

/** result_hash over the parts' run record files; null when no part wrote one. */
async function combinedHash(parts: RangePart[], output: string): Promise<string | null> {
  let merger: RunRecordMerger | null = null;
  let header: Buffer | null = null;
  for (const p of parts) {
    const file = path.join(p.dir, output, RUN_RECORDS_FILE);
    if (!existsSync(file)) continue;
    const head = await readHeader(file);
    if (header === null) {
      header = head;
      merger = new RunRecordMerger(header);
    } else if (!header.equals(head)) {
      throw new Error(`job.range_merge_failed: ${output}: the parts hash under different headers (columns or lineage differ)`);
    }
    for await (const chunk of createReadStream(file, { start: HEADER_BYTES, highWaterMark: 1 << 20 })) merger!.write(chunk as Buffer);
  }
  return merger ? merger.digest() : null;
}

async function readHeader(file: string): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await fh.read(buf, 0, HEADER_BYTES, 0);
    if (bytesRead !== HEADER_BYTES) throw new Error(`job.range_merge_failed: ${file} has no header`);
    return buf;
  } finally {
    await fh.close();
  }
}

async function kvMetadata(db: Db, file: string): Promise<[string, string][]> {
  const rows = await db.all<{ k: string; v: string }>(
    `SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${quoteString(file)})`,
  );
  return rows.filter((r) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(r.k)).map((r) => [r.k, r.v]);
}

/** One file from the parts' files of one kind, rows in range order then file order. */
async function mergeInto(db: Db, sources: string[], dest: string): Promise<void> {
  await mkdir(path.dirname(dest), { recursive: true });
  if (sources.length === 1) {
    await rename(sources[0], dest);
    return;
  }
  const selects = sources.map((f, i) => `SELECT *, ${i} AS __cf_part FROM read_parquet(${quoteString(f)}, file_row_number = true)`);
  const meta = await kvMetadata(db, sources[0]);
  const options = ['FORMAT parquet', 'COMPRESSION zstd'];
  if (meta.length > 0) options.push(`KV_METADATA {${meta.map(([k, v]) => `${k}: ${quoteString(v)}`).join(', ')}}`);
  const tmp = `${dest}.tmp`;
  await db.run(
    `COPY (SELECT * EXCLUDE (__cf_part, file_row_number) FROM (${selects.join(' UNION ALL BY NAME ')}) ORDER BY __cf_part, file_row_number)
     TO ${quoteString(tmp)} (${options.join(', ')})`,
  );
  await rename(tmp, dest);
}

/**
 * What a worker process reports of itself (peak RSS, wall and CPU time, allocator and
 * young-generation settings, bundle or sources, start-up time), as a job's `metrics.workers[]`
 * entry shows it: one place for the ranged and the single-worker entry.
 */
export function workerProcessFigures(result: WorkerRunResult): {
  peak_rss_mb: number | null;
  run_ms: number | null;
  cpu_ms: number | null;
  duckdb_allocator_conf: string | null;
  max_semi_space_mb: number | null;
  bundled: boolean | null;
  startup_ms: number | null;
} {
  return {
    peak_rss_mb: result.peak_rss_mb ?? null,
    run_ms: result.run_ms ?? null,
    cpu_ms: result.cpu_ms ?? null,
    duckdb_allocator_conf: result.duckdb_allocator_conf ?? null,
    max_semi_space_mb: result.max_semi_space_mb ?? null,
    bundled: result.bundled ?? null,
    startup_ms: result.startup_ms ?? null,
  };
}

export async function combineRangeResults(input: CombineInput): Promise<WorkerRunResult> {
  const { spec, parts, errorOutput } = input;
  const staging = spec.stagingDir;
  const names: string[] = [];
  for (const p of parts) for (const name of Object.keys(p.result.outputs)) if (!names.includes(name)) names.push(name);

  const problems: { code: string; message: string }[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();
  for (const p of parts) {
    for (const pr of (Array.isArray(p.result.problems) ? p.result.problems : []) as { code: string; message: string }[]) {
      if (!seen.has(`p:${pr.code}:${pr.message}`)) {
        seen.add(`p:${pr.code}:${pr.message}`);
        problems.push(pr);
      }
    }
    for (const w of (Array.isArray(p.result.warnings) ? p.result.warnings : []) as string[]) {
      if (!seen.has(`w:${w}`)) {
        seen.add(`w:${w}`);
        warnings.push(w);
      }
    }
  }

  const outputs: Record<string, PartOutput & Record<string, unknown>> = {};
  const decided: OutputStatus[] = [];
  const manifestOutputs: Record<string, ManifestOutputInput> = {};
  for (const name of names) {
    const own = parts.map((p) => p.result.outputs[name] as PartOutput | undefined).filter((o): o is PartOutput => o !== undefined);
    const manifests = parts.map((p) => (p.result.manifest as { outputs?: Record<string, { rows?: number; lineage_unavailable_rows?: number }> } | null)?.outputs?.[name]);
    const parsedRows = own.reduce((n, o) => n + (o.parsed_rows ?? 0), 0);
    if (own.every((o) => o.status === 'no_contract')) {
      outputs[name] = {
        status: 'no_contract', reason: null, message: own[0]?.message ?? 'no contract given: not validated', rows: 0, quarantine_rows: 0,
        parsed_rows: parsedRows, violations: {}, result_hash: null, files: [], contract_hash: null, shape: null,
      };
      manifestOutputs[name] = { contractHash: null, scopeId: null, status: 'no_contract', reason: null, rows: 0, validRows: 0, quarantineRows: 0, resultHash: null, files: [] };
      continue;
    }
    const valid = own.reduce((n, o) => n + o.rows, 0);
    const quarantined = own.reduce((n, o) => n + o.quarantine_rows, 0);
    const violations: Record<string, number> = {};
    for (const o of own) for (const [t, n] of Object.entries(o.violations)) violations[t] = (violations[t] ?? 0) + n;
    // In a part only a shape failure (or a job-level problem) makes an output FAILED.
    const shapeFailure = own.find((o) => o.status === 'FAILED');
    const policy = policyFor(spec, name);
    const decision = policy
      ? decideOutputStatus({ rows: valid + quarantined, quarantineRows: quarantined, policy, shapeOk: shapeFailure === undefined })
      : { status: 'FAILED' as const, reason: 'schema_mismatch' as const, message: `no contract for output ${name}` };
    decided.push(decision.status);
    const resultHash = (await combinedHash(parts, name)) ?? own.find((o) => o.result_hash)?.result_hash ?? null;
    const contractHash = own.find((o) => o.contract_hash)?.contract_hash ?? null;
    outputs[name] = {
      status: decision.status,
      reason: decision.reason,
      message: shapeFailure?.message ?? decision.message,
      rows: valid,
      quarantine_rows: quarantined,
      parsed_rows: parsedRows,
      violations,
      result_hash: resultHash,
      files: [],
      contract_hash: contractHash,
      shape: own.find((o) => o.shape)?.shape ?? null,
    };
    manifestOutputs[name] = {
      contractHash,
      scopeId: spec.contracts[name] ? scopeId(spec.parserId, spec.parserVersion, name) : null,
      status: decision.status,
      reason: decision.reason,
      rows: manifests.reduce((n, m) => n + (m?.rows ?? 0), 0),
      validRows: valid,
      quarantineRows: quarantined,
      violations,
      resultHash,
      lineageUnavailableRows: manifests.reduce((n, m) => n + (m?.lineage_unavailable_rows ?? 0), 0),
      files: [],
    };
  }
  // A part FAILS only on shape or a job-level problem, and either fails the whole job.
  const status: OutputStatus = problems.length > 0 || parts.some((p) => p.result.status === 'FAILED') ? 'FAILED' : aggregateJobStatus(decided);

  let errorFiles: string[] = [];
  if (status !== 'FAILED') {
    for (const name of names) {
      if (outputs[name].status === 'no_contract') continue;
      const files: string[] = [];
      for (let k = 0; k < parts.length; k++) {
        const src = path.join(parts[k].dir, name, STAGED_FILES.valid);
        if (!existsSync(src)) continue;
        const rel = `${name}/${validPartFile(k)}`;
        await mkdir(path.join(staging, name), { recursive: true });
        await rename(src, path.join(staging, rel));
        files.push(rel);
      }
      const quarantine = parts.map((p) => path.join(p.dir, name, STAGED_FILES.quarantine)).filter((f) => existsSync(f));
      if (quarantine.length > 0) {
        await mergeInto(input.db, quarantine, path.join(staging, name, STAGED_FILES.quarantine));
        files.push(`${name}/${STAGED_FILES.quarantine}`);
      }
      outputs[name].files = files;
      manifestOutputs[name].files = files;
    }
    const errors = parts.map((p) => path.join(p.dir, errorOutput, STAGED_FILES.errors)).filter((f) => existsSync(f));
    if (errors.length > 0) {
      await mergeInto(input.db, errors, path.join(staging, errorOutput, STAGED_FILES.errors));
      errorFiles = [`${errorOutput}/${STAGED_FILES.errors}`];
    }
  }

  let parseSummary: unknown = null;
  let parseErrors: unknown = {};
  for (const p of parts) {
    parseSummary = mergeSummaries(parseSummary, p.result.parse_summary);
    parseErrors = mergeSummaries(parseErrors, (p.result.manifest as { parse_errors?: unknown } | null)?.parse_errors ?? {});
  }
  const first = parts[0].result.manifest as { input?: { size_bytes?: number; name?: string | null }; started_at?: string | null } | null;
  const workers = parts.map((p, k) => ({
    range: k,
    start: p.range.start,
    end: p.range.end,
    messages: (p.result.parse_summary as { messages?: number } | null)?.messages ?? null,
    ...workerProcessFigures(p.result),
  }));
  const manifest = {
    ...buildRunManifest({
      jobId: spec.jobId,
      status,
      input: { sha256: spec.fileSha256, sizeBytes: first?.input?.size_bytes ?? parts.at(-1)!.range.end, name: first?.input?.name ?? null },
      parser: { id: spec.parserId, version: spec.parserVersion, logicHash: spec.logicHash },
      outputs: manifestOutputs,
      parseErrors: parseErrors as Record<string, number>,
      warnings: [...problems.map((p) => `${p.code}: ${p.message}`), ...warnings],
      startedAt: first?.started_at ?? undefined,
      finishedAt: new Date().toISOString(),
      range: null,
    }),
    error_files: errorFiles,
    byte_ranges: { parts: parts.length, reruns: input.reruns, workers },
  };
  await mkdir(staging, { recursive: true });
  await writeFile(path.join(staging, STAGED_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  const peaks = workers.map((w) => w.peak_rss_mb).filter((n): n is number => typeof n === 'number');
  return {
    status,
    outputs,
    manifest,
    parse_summary: parseSummary,
    problems,
    warnings,
    source_hash: spec.fileSha256,
    ...(peaks.length > 0 ? { peak_rss_mb: Math.max(...peaks) } : {}),
    run_ms: Math.max(0, ...workers.map((w) => w.run_ms ?? 0)),
    cpu_ms: workers.reduce((n, w) => n + (w.cpu_ms ?? 0), 0),
    workers,
  } as WorkerRunResult;
}

/** Valid rows of part k inside an output's staging directory (promotion loads them in name order). */
export function validPartFile(k: number): string {
  return `valid-${String(k).padStart(3, '0')}.parquet`;
}

/** Matches valid.parquet (one worker) and valid-<kkk>.parquet (byte-range parts). */
export const VALID_FILE_PATTERN = /^valid(-\d{3})?\.parquet$/;
