// The pipeline runner: one input file through parse → shape check → validate → split → lineage
// → Parquet, into a staging directory that promotion later makes final. Used by the worker
// process (worker/main.ts) and by `workbench validate`.
//
// Writes into stagingDir:
//   <output>/valid.parquet, <output>/quarantine.parquet   per output with a contract (each only when it has rows)
//   <errorOutput>/errors.parquet                            parse errors (only when there are some)
//   manifest.json                                           always
// Invariants:
// - On a FAILED job no Parquet file is left in stagingDir (manifest only): every sink is
//   aborted, and a sink's target name appears only once its file is complete.
// - Memory is bounded by a parser batch: rows are validated, split and staged batch by batch,
//   and the next batch is read only when the sinks have accepted the previous one.
// - _cf_source_hash is the sha256 of the whole uploaded file (a byte-range run included); it is
//   taken from the caller when known (`sourceHash`) or computed in a first pass over the file
//   (see pipeline/hash-file.ts for why not while parsing).
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ContractDocument, QuarantinePolicy } from '../lib/contracts/contract-document';
import { scopeId } from '../lib/contracts/contract-hash';
import { readFileChunks } from '../lib/parsers/read-file-stream';
import { getParser } from '../lib/parsers/registry';
import type { ParserDefinition, ParseSummary } from '../lib/parsers/parser-types';
import { findReservedColumns } from '../lib/pipeline/check-shape';
import { aggregateJobStatus, decideOutputStatus, type OutputStatus } from '../lib/pipeline/output-status';
import { buildRunManifest, type ManifestOutputInput, type RunManifest } from '../lib/pipeline/run-manifest';
import { countedChunks, type ByteCounter } from './pipeline/counted-chunks';
import { ErrorOutputRun } from './pipeline/error-sink';
import { sha256OfFile } from './pipeline/hash-file';
import { OutputRun } from './pipeline/output-run';
import { writeManifest } from './pipeline/write-manifest';
import { faultPoint } from './fault-points';

/** Per output of a byte-range part: H then result_hash's run records (result-hasher.ts). */
export const RUN_RECORDS_FILE = 'result-runs.bin';

/** Quarantine policy of a byte-range part: never trips (the whole job is decided by the dispatcher). */
const RANGE_PART_POLICY = { allow_quarantine: true, max_quarantine_pct: 100, max_quarantine_count: null };

export type OutputRunStatus = OutputStatus | 'no_contract';

export interface PipelineProgress {
  /** Input bytes the parser has consumed (of the range when one is given). */
  bytes: number;
  totalBytes: number;
  /** Rows emitted by the parser so far, all outputs. */
  rows: number;
  rowsPerSec: number;
}

export interface RunPipelineOptions {
  filePath: string;
  parserId: string;
  /** Output name → the contract it is validated against. Outputs without one are 'no_contract'. */
  contracts: Record<string, ContractDocument>;
  /** G (issue 6): output → effective quarantine policy (settings cascade); default the contract's own policy. */
  policies?: Record<string, QuarantinePolicy>;
  jobId: string;
  /** Directory the run writes into (created if missing); should be empty. */
  stagingDir: string;
  /**
   * Byte range [start, end) of the file to parse (a byte-range worker); default the whole file.
   * `start` must be a message boundary. baseLine / baseMessageIndex are the line number and
   * message index of the range's first byte (the splitter that chose the range knows them);
   * without them line_number and message_index count from the range's start.
   */
  range?: { start: number; end: number; baseLine?: number; baseMessageIndex?: number };
  onProgress?: (p: PipelineProgress) => void;
  /** sha256 of the file when the caller knows it (an upload); else computed in a first pass. */
  sourceHash?: string;
  /** The lineage timestamp of the run; default now. */
  processedAt?: Date;
  /** A parser to use instead of the registry's (tests, the CLI's --parser). */
  parser?: ParserDefinition;
  /**
   * This run is one byte range of a job split across workers (lib/server/jobs/run-ranged-attempt.ts):
   * the quarantine policy is not applied here (the dispatcher decides it over the sum of the
   * ranges; a part FAILS only on shape or a job-level problem), and each output's result_hash
   * run records are written to `<output>/result-runs.bin` (H, then the records) for the merge.
   */
  partOfJob?: boolean;
}

export interface OutputResult {
  status: OutputRunStatus;
  /** Stable reason code of the status (null for SUCCESS and no_contract). */
  reason: string | null;
  message: string;
  /** Valid rows. */
  rows: number;
  quarantine_rows: number;
  /** Rows the parser emitted for this output (validated or not). */
  parsed_rows: number;
  /** Violations by type, each counted once (a row with two violations adds to two types). */
  violations: Record<string, number>;
  result_hash: string | null;
  /** Staged files, relative to stagingDir ('/'-separated). */
  files: string[];
  contract_hash: string | null;
  /** Shape diagnostics (missing, extra, order, types, reserved) when checked. */
  shape: { ok: boolean; diagnostics: unknown; messages: string[] } | null;
}

export interface PipelineProblem {
  code: string;
  message: string;
}

/** The run manifest (lib/pipeline) plus the staged parse-error files. */
export type PipelineManifest = RunManifest & { error_files: string[] };

export interface RunResult {
  status: OutputStatus;
  outputs: Record<string, OutputResult>;
  manifest: PipelineManifest;
  parse_summary: ParseSummary | null;
  /** Job-level problems (e.g. pipeline.reserved_column); any of them fails the job. */
  problems: PipelineProblem[];
  warnings: string[];
  source_hash: string;
}

const PROGRESS_EVERY_MS = 200;

export async function runPipeline(opts: RunPipelineOptions): Promise<RunResult> {
  const startedAt = new Date();
  const parser = opts.parser ?? getParser(opts.parserId);
  if (!parser) throw new Error(`pipeline.unknown_parser: no parser '${opts.parserId}' is registered`);
  const fileSize = (await stat(opts.filePath)).size;
  const totalBytes = opts.range ? Math.max(0, Math.min(opts.range.end, fileSize) - opts.range.start) : fileSize;
  const sourceHash = opts.sourceHash ?? (await sha256OfFile(opts.filePath));
  const processedAt = opts.processedAt ?? startedAt;
  await mkdir(opts.stagingDir, { recursive: true });

  const warnings: string[] = [];
  const problems: PipelineProblem[] = [];
  // Byte-range part (E, issue 9): each output's result_hash run records go to <output>/result-runs.bin, H first.
  const digestFds = new Map<string, number>();
  const onRunRecord = opts.partOfJob
    ? (output: string, head: Buffer, payload: readonly Uint8Array[], header: Buffer) => {
        let fd = digestFds.get(output);
        if (fd === undefined) {
          const dir = path.join(opts.stagingDir, output);
          mkdirSync(dir, { recursive: true });
          fd = openSync(path.join(dir, RUN_RECORDS_FILE), 'w');
          digestFds.set(output, fd);
          writeSync(fd, header);
        }
        writeSync(fd, head);
        for (const p of payload) writeSync(fd, p);
      }
    : undefined;
  const closeDigests = async (remove: boolean) => {
    for (const [output, fd] of digestFds) {
      closeSync(fd);
      if (remove) await rm(path.join(opts.stagingDir, output, RUN_RECORDS_FILE), { force: true });
    }
    digestFds.clear();
  };
  const ctx = {
    stagingDir: opts.stagingDir, jobId: opts.jobId, sourceHash, processedAt, parserId: parser.id, parserVersion: parser.version, onRunRecord,
  };
  const intents = new Map(parser.outputs.map((o) => [o.name, o]));
  const runs = new Map<string, OutputRun>();
  for (const o of parser.outputs) runs.set(o.name, new OutputRun(o.name, opts.contracts[o.name], o, ctx));
  for (const [name, contract] of Object.entries(opts.contracts)) {
    if (!intents.has(name)) {
      warnings.push(`pipeline.unknown_output: parser ${parser.id} declares no output '${name}'; its contract is checked against whatever rows carry that name`);
      runs.set(name, new OutputRun(name, contract, undefined, ctx));
    }
    if (contract.parser_id !== parser.id || contract.parser_version !== parser.version) {
      warnings.push(
        `pipeline.contract_scope_mismatch: the contract of ${name} governs ${contract.parser_id} ${contract.parser_version}, the run uses ${parser.id} ${parser.version}`,
      );
    }
  }
  const errors = new ErrorOutputRun(parser.errorOutput, opts.stagingDir, {
    job_id: opts.jobId,
    source_hash: sourceHash,
    parser_id: parser.id,
    parser_version: parser.version,
  });
  const reservedSeen = new Set<string>();
  const failJob = (code: string, message: string) => problems.push({ code, message });

  const counter: ByteCounter = { bytes: 0 };
  let rowsSeen = 0;
  let lastProgress = 0;
  const t0 = performance.now();
  const report = (force: boolean) => {
    if (!opts.onProgress) return;
    const now = performance.now();
    if (!force && now - lastProgress < PROGRESS_EVERY_MS) return;
    lastProgress = now;
    const secs = (now - t0) / 1000;
    opts.onProgress({ bytes: counter.bytes, totalBytes, rows: rowsSeen, rowsPerSec: secs > 0 ? Math.round(rowsSeen / secs) : 0 });
  };

  let summary: ParseSummary | null = null;
  let aborted = false;
  const abortAll = async () => {
    if (aborted) return;
    aborted = true;
    await closeDigests(true);
    await Promise.all([...[...runs.values()].map((r) => r.abort()), errors.abort()]);
  };

  try {
    const input = countedChunks(readFileChunks(opts.filePath, opts.range ? { start: opts.range.start, end: opts.range.end } : {}), counter);
    const gen = parser.parse(
      input,
      opts.range ? { baseOffset: opts.range.start, baseLine: opts.range.baseLine, baseMessageIndex: opts.range.baseMessageIndex } : {},
    );
    for (;;) {
      const next = await gen.next();
      if (next.done) {
        summary = next.value;
        break;
      }
      const batch = next.value;
      rowsSeen += batch.rows.length;
      if (batch.rows.length > 0) {
        // A `_cf_*` column from a parser fails the job, whatever the output.
        for (const p of findReservedColumns(Object.keys(batch.rows[0]))) {
          if (!reservedSeen.has(`${batch.output}.${p.column}`)) {
            reservedSeen.add(`${batch.output}.${p.column}`);
            failJob(p.code, `${batch.output}: ${p.message}`);
          }
        }
      }
      // A doomed job (shape or reserved column) still reads to the end so its counts are complete;
      // its staged files are discarded below.
      if (batch.output === parser.errorOutput) {
        await errors.push(batch.rows);
      } else {
        let run = runs.get(batch.output);
        if (!run) {
          warnings.push(`pipeline.undeclared_output: parser ${parser.id} emitted rows for undeclared output '${batch.output}'`);
          run = new OutputRun(batch.output, opts.contracts[batch.output], undefined, ctx);
          runs.set(batch.output, run);
        }
        await run.push(batch.rows);
      }
      report(false);
      faultPoint('after_first_batch'); // reliability (helper C): crash here after the first batch when armed
    }
  } catch (e) {
    await abortAll();
    throw e;
  }
  report(true);

  // Decide every output, then the job.
  const outputs: Record<string, OutputResult> = {};
  const decided: OutputStatus[] = [];
  for (const run of runs.values()) {
    const stats = run.stats();
    if (!run.contract) {
      outputs[run.name] = {
        status: 'no_contract', reason: null, message: 'no contract given: not validated', rows: 0, quarantine_rows: 0,
        parsed_rows: run.parsedRows, violations: {}, result_hash: null, files: [], contract_hash: null, shape: null,
      };
      continue;
    }
    const shapeOk = !run.shapeFailed && (stats?.reserved_columns.length ?? 0) === 0;
    const decision = decideOutputStatus({
      rows: stats?.rows ?? 0,
      quarantineRows: stats?.quarantine_rows ?? 0,
      // G: resolved cascade when given; E: a byte-range part leaves the policy to the dispatcher.
      policy: opts.partOfJob ? RANGE_PART_POLICY : (opts.policies?.[run.name] ?? run.contract.quarantine),
      shapeOk,
    });
    decided.push(decision.status);
    for (const w of stats?.warnings ?? []) warnings.push(w);
    outputs[run.name] = {
      status: decision.status,
      reason: decision.reason,
      message: run.shape && !run.shape.ok ? `${decision.message}: ${run.shape.messages.join('; ')}` : decision.message,
      rows: stats?.valid_rows ?? 0,
      quarantine_rows: stats?.quarantine_rows ?? 0,
      parsed_rows: run.parsedRows,
      violations: Object.fromEntries(Object.entries(stats?.violations ?? {}).filter(([, n]) => n > 0)),
      result_hash: stats?.result_hash ?? null,
      files: [],
      contract_hash: run.contractHash,
      shape: run.shape ? { ok: run.shape.ok, diagnostics: run.shape.diagnostics, messages: run.shape.messages } : null,
    };
  }
  const status: OutputStatus = problems.length > 0 ? 'FAILED' : aggregateJobStatus(decided);

  if (status === 'FAILED') {
    await abortAll();
  } else {
    try {
      for (const run of runs.values()) if (run.contract) outputs[run.name].files = await run.finish();
      await errors.finish();
      await closeDigests(false);
    } catch (e) {
      await abortAll();
      throw e;
    }
  }
  const errorFiles = status === 'FAILED' ? [] : errors.rows > 0 ? [`${parser.errorOutput}/errors.parquet`] : [];

  const manifestOutputs: Record<string, ManifestOutputInput> = {};
  for (const [name, o] of Object.entries(outputs)) {
    const run = runs.get(name)!;
    manifestOutputs[name] = {
      contractHash: o.contract_hash,
      scopeId: run.contract ? scopeId(run.contract.parser_id, run.contract.parser_version, name) : null,
      status: o.status,
      reason: o.reason,
      rows: run.stats()?.rows ?? 0,
      validRows: o.rows,
      quarantineRows: o.quarantine_rows,
      violations: o.violations,
      resultHash: o.result_hash,
      lineageUnavailableRows: run.stats()?.lineage_unavailable_rows ?? 0,
      files: o.files,
    };
  }
  const base = buildRunManifest({
    jobId: opts.jobId,
    status,
    input: { sha256: sourceHash, sizeBytes: fileSize, name: path.basename(opts.filePath) },
    parser: { id: parser.id, version: parser.version, logicHash: parser.logicHash() },
    outputs: manifestOutputs,
    parseErrors: { ...errors.byCode },
    warnings: [...problems.map((p) => `${p.code}: ${p.message}`), ...warnings],
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    range: opts.range ? { start: opts.range.start, end: opts.range.end } : null,
  });
  const manifest: PipelineManifest = { ...base, error_files: errorFiles };
  await writeManifest(opts.stagingDir, manifest);
  faultPoint('parquet_renamed'); // reliability (helper C): every file renamed into staging, result not yet sent
  return { status, outputs, manifest, parse_summary: summary, problems, warnings, source_hash: sourceHash };
}
