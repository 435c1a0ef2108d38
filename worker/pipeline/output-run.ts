// One parser output during a run: shape check on its first rows, validation and split, and the
// Parquet sinks of its valid and quarantined rows (created on the first row of each kind).
// Without a contract the output is only counted ('no_contract').
import { rmdir } from 'node:fs/promises';
import path from 'node:path';
import type { ContractDocument } from '../../lib/contracts/contract-document';
import { contentHash } from '../../lib/contracts/contract-hash';
import type { OutputIntent, ParserRow } from '../../lib/parsers/parser-types';
import { compileValidator, type CompiledValidator } from '../../lib/pipeline/compile-validator';
import type { ShapeResult } from '../../lib/pipeline/check-shape';
import { createOutputSplitter, timestampTzText, type OutputSplitter, type SplitStats, type StagedChunk } from '../../lib/pipeline/output-splitter';
import { createParquetSink, quarantineColumns, withConstants, type ParquetSink, type SinkColumn } from '../../db/parquet';

export const VALID_FILE = 'valid.parquet';
export const QUARANTINE_FILE = 'quarantine.parquet';

export interface OutputRunContext {
  stagingDir: string;
  jobId: string;
  sourceHash: string;
  processedAt: Date;
  parserId: string;
  parserVersion: string;
  /** result_hash's run records, per output (a byte-range run writes them for the merge; E, issue 9). */
  onRunRecord?: (output: string, head: Buffer, payload: readonly Uint8Array[], header: Buffer) => void;
}

/**
 * Column names of a first batch, in first-seen order. Names only: parser cells are exact source
 * text (lib/parsers/parser-types.ts), so typing is the validator's job per value, and a parser's
 * declared intent types are not the file's types (a contract may read a CSV `quantity` as int64
 * where the intent says decimal). A value that does not read as its type is quarantined.
 */
export function observedColumns(rows: readonly ParserRow[]): string[] {
  const names = new Set<string>();
  for (const r of rows) for (const k in r) names.add(k);
  return [...names];
}

export class OutputRun {
  readonly contract: ContractDocument | null;
  readonly contractHash: string | null;
  private validator: CompiledValidator | null = null;
  private splitter: OutputSplitter | null = null;
  private validSink: ParquetSink | null = null;
  private quarantineSink: ParquetSink | null = null;
  /** Rows the parser emitted for this output. */
  parsedRows = 0;
  shape: ShapeResult | null = null;
  /** True once the output can no longer succeed on its shape (nothing more is validated). */
  shapeFailed = false;

  constructor(
    readonly name: string,
    contract: ContractDocument | undefined,
    /** The parser's declared intent (kept for diagnostics; shape is checked on observed names). */
    readonly intent: OutputIntent | undefined,
    private readonly ctx: OutputRunContext,
  ) {
    this.contract = contract ?? null;
    this.contractHash = contract ? contentHash(contract) : null;
  }

  get dir(): string {
    return path.join(this.ctx.stagingDir, this.name);
  }

  /** Validates and stages one batch. Resolves when the sinks accept more (bounded memory). */
  async push(rows: ParserRow[]): Promise<void> {
    this.parsedRows += rows.length;
    if (!this.contract || this.shapeFailed || rows.length === 0) return;
    if (!this.validator) {
      this.validator = compileValidator(this.contract);
      this.shape = this.validator.checkShape(observedColumns(rows));
      if (!this.shape.ok) {
        this.shapeFailed = true;
        return;
      }
      this.splitter = createOutputSplitter({
        contract: this.contract,
        validator: this.validator,
        lineage: {
          sourceHash: this.ctx.sourceHash,
          jobId: this.ctx.jobId,
          processedAt: this.ctx.processedAt,
          parserVersion: this.ctx.parserVersion,
          contractHash: this.contractHash!,
        },
        onRunRecord: this.ctx.onRunRecord ? (head, payload, h) => this.ctx.onRunRecord!(this.name, head, payload, h) : undefined,
      });
    }
    // The fused path: valid rows arrive as staged text in ~4 MB chunks (no per-row objects);
    // quarantine rows (rare) as objects.
    const { chunks, quarantine } = this.splitter!.pushStaged(rows);
    const writes: Promise<void>[] = [];
    if (chunks.length > 0) writes.push(this.writeValid(chunks));
    if (quarantine.length > 0) writes.push((this.quarantineSink ??= await this.openQuarantineSink()).write(quarantine));
    await Promise.all(writes);
  }

  private async writeValid(chunks: readonly StagedChunk[]): Promise<void> {
    const sink = (this.validSink ??= await this.openValidSink());
    for (const c of chunks) await sink.writeStaged(c.bytes, c.rows, c.longestLine);
  }

  stats(): SplitStats | null {
    return this.splitter ? this.splitter.stats() : null;
  }

  /** Writes the staged rows as Parquet; returns the files written, relative to the staging directory. */
  async finish(): Promise<string[]> {
    const rest = this.splitter?.takeStaged() ?? null;
    if (rest !== null) await this.writeValid([rest]);
    const files: string[] = [];
    const sinks = [this.validSink, this.quarantineSink].filter((s): s is ParquetSink => s !== null);
    // One COPY at a time: the engine's memory limit (db/parquet/parquet-engine.ts) is sized for
    // one COPY's reader buffers and row group, not two. (A failed COPY leaves nothing running
    // that could rename a file into place after abort() has cleaned up.)
    for (const s of sinks) await s.finish();
    for (const s of sinks) files.push(path.relative(this.ctx.stagingDir, s.filePath).split(path.sep).join('/'));
    return files;
  }

  /** Discards everything staged for this output. */
  async abort(): Promise<void> {
    await Promise.all([this.validSink?.abort(), this.quarantineSink?.abort()]);
    await removeDirIfEmpty(this.dir);
  }

  private metadata(): Record<string, string> {
    return {
      job_id: this.ctx.jobId,
      contract_hash: this.contractHash ?? '',
      source_hash: this.ctx.sourceHash,
      parser_id: this.ctx.parserId,
      parser_version: this.ctx.parserVersion,
      output: this.name,
    };
  }

  private openValidSink(): Promise<ParquetSink> {
    // The staged lines' own layout (contract columns + lineage); the lineage that is the same
    // on every row of the run is staged empty and written once, by the COPY, as literals.
    const layout = this.splitter!.stagedColumns;
    const constants: Record<string, string> = {
      _cf_source_hash: this.ctx.sourceHash,
      _cf_job_id: this.ctx.jobId,
      _cf_processed_at: timestampTzText(this.ctx.processedAt),
      _cf_parser_version: this.ctx.parserVersion,
      _cf_contract_hash: this.contractHash!,
    };
    const columns: SinkColumn[] = layout.map((c) => {
      if (!c.constant) return { name: c.name, duckdbType: c.duckdbType };
      if (!Object.prototype.hasOwnProperty.call(constants, c.name)) throw new Error(`pipeline.internal: no run value for constant column ${c.name}`);
      return { name: c.name, duckdbType: c.duckdbType, constant: constants[c.name] };
    });
    return createParquetSink({ filePath: path.join(this.dir, VALID_FILE), columns, metadata: this.metadata() });
  }

  private openQuarantineSink(): Promise<ParquetSink> {
    return createParquetSink({
      filePath: path.join(this.dir, QUARANTINE_FILE),
      columns: withConstants(quarantineColumns(this.contract!.columns.map((c) => c.name)), { _cf_job_id: this.ctx.jobId }),
      metadata: { ...this.metadata(), kind: 'quarantine' },
    });
  }
}

/** Removes a directory the run created, when nothing is left in it (a FAILED job leaves only its manifest). */
export async function removeDirIfEmpty(dir: string): Promise<void> {
  try {
    await rmdir(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTEMPTY' && code !== 'EEXIST') throw e;
  }
}
