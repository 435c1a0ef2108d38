import type { ContractDocument } from '../contracts/contract-document';
import { POSITION_COLUMNS, type ParserRow } from '../parsers/parser-types';
import type { CompiledValidator, ViolationSink } from './compile-validator';
import { findReservedColumns } from './check-shape';
import { blockOf, createStagedResultHasher } from './result-hasher';
import { StagedBuffer, type StagedLines } from './staged-text';
import { compileValidObjectEncoder, LINEAGE_COLUMNS, stagedValidColumns, type StagedColumn } from './staged-valid-writer';
import { VIOLATION_TYPES, type ViolationType } from './violation';

// Splits an output's rows into valid rows (typed, with lineage) and quarantine rows (original
// text, with reasons). Row shapes are fixed per contract so that writers get stable schemas:
//
// valid:      <contract columns, typed> line_number, message_index, _cf_source_hash, _cf_job_id,
//             _cf_processed_at, _cf_parser_version, _cf_contract_hash, _cf_source_offset, _cf_source_length
// quarantine: <contract columns, original text or null> _extra_columns, _error_msg, _violations,
//             _violation_type, _cf_job_id, _source_row, _output_row_index, line_number,
//             message_index, _cf_source_offset, _cf_source_length
//
// _extra_columns holds the row's other (non-contract, non-position) cells as canonical JSON text
// (null when none), so every original value is kept while the quarantine schema stays fixed.
// _source_row is the parser's __cf_row_id; when a row has none, _output_row_index (0-based index of
// the row within this output) is set instead, and the row counts in lineage_unavailable_rows.

export interface Lineage {
  /** sha256 hex of the uploaded file */
  sourceHash: string;
  jobId: string;
  /** UTC instant; a Date or text DuckDB reads as TIMESTAMPTZ. */
  processedAt: Date | string;
  parserVersion: string;
  contractHash: string;
}

export interface SplitBatch {
  valid: Record<string, unknown>[];
  quarantine: Record<string, unknown>[];
}

export interface SplitStats {
  /** rows pushed (valid + quarantine) */
  rows: number;
  valid_rows: number;
  quarantine_rows: number;
  /** each violation counted once: a row with two violations adds to two types */
  violations: Record<ViolationType, number>;
  lineage_unavailable_rows: number;
  /** `_cf_*` columns seen in the parser's rows; non-empty means the job fails (pipeline.reserved_column) */
  reserved_columns: string[];
  warnings: string[];
  /** result_hash over the valid rows so far (see result-hasher.ts) */
  result_hash: string;
}

/** Staged text of valid rows (whole lines, each ending in LF), how many rows it holds and its longest line. */
export type StagedChunk = StagedLines;

export interface StagedBatch {
  /** Completed chunks of staged valid lines (layout: `stagedColumns`), in row order. */
  chunks: StagedChunk[];
  /** Quarantine rows, as push() builds them. */
  quarantine: Record<string, unknown>[];
}

export interface OutputSplitter {
  /** The object path: typed valid rows with lineage, and quarantine rows. */
  push(rows: readonly ParserRow[]): SplitBatch;
  /**
   * The fused path (a run's hot path): valid rows go straight into staged text, buffered in
   * chunks (~4 MB) that are returned as they fill; quarantine rows as push() builds them.
   * A splitter is used through one path only (mixing them throws).
   */
  pushStaged(rows: readonly ParserRow[]): StagedBatch;
  /**
   * The staged valid lines not yet returned by pushStaged (null when there are none). Ends the
   * splitter's rows: no push after it (result_hash's last run is handed over here).
   */
  takeStaged(): StagedChunk | null;
  /** Column layout of the staged valid lines (contract columns, then LINEAGE_COLUMNS). */
  readonly stagedColumns: readonly StagedColumn[];
  stats(): SplitStats;
}

const POSITION: ReadonlySet<string> = new Set(POSITION_COLUMNS);

/** Columns a valid row carries after the contract columns, in this order. */
export { LINEAGE_COLUMNS };

/** `2024-01-02 03:04:05.123456+00`, the canonical TIMESTAMPTZ text. */
export function timestampTzText(at: Date | string): string {
  if (typeof at === 'string') return at;
  const iso = at.toISOString(); // 2024-01-02T03:04:05.123Z
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}000+00`;
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : String(v);
}

function position(v: unknown): number | null {
  return typeof v === 'number' ? v : v === null || v === undefined || v === '' ? null : Number(v);
}

export function createOutputSplitter(opts: {
  contract: ContractDocument;
  validator: CompiledValidator;
  lineage: Lineage;
  /** Receives result_hash's run records (result-hasher.ts); byte-range workers write them out. */
  onRunRecord?: (head: Buffer, payload: readonly Uint8Array[], header: Buffer) => void;
}): OutputSplitter {
  const { validator, lineage } = opts;
  const contractCols = validator.columns;
  const contractSet: ReadonlySet<string> = new Set(contractCols);
  const processedAt = timestampTzText(lineage.processedAt);
  const buildRow = validator.rowBuilder(LINEAGE_COLUMNS);
  const stagedColumns = stagedValidColumns(opts.contract);
  // result_hash is taken over the staged text of the valid rows (result-hasher.ts), whichever path builds it.
  const hasher = createStagedResultHasher({
    constants: { _cf_source_hash: lineage.sourceHash, _cf_parser_version: lineage.parserVersion, _cf_contract_hash: lineage.contractHash },
    columns: stagedColumns.map((c) => c.name),
    onRunRecord: opts.onRunRecord,
  });
  let encodeValid: ((row: Record<string, unknown>) => string) | null = null;
  let writeStaged: ReturnType<CompiledValidator['stagedBufferWriter']> | null = null;
  let staged: StagedBuffer | null = null;
  let mode: 'objects' | 'staged' | null = null;
  const useMode = (m: 'objects' | 'staged') => {
    if (mode !== null && mode !== m) throw new Error(`splitter.mixed_paths: this splitter was used through ${mode}, not ${m}`);
    mode = m;
  };
  const violations = Object.fromEntries(VIOLATION_TYPES.map((t) => [t, 0])) as Record<ViolationType, number>;
  let rows = 0;
  let validRows = 0;
  let quarantineRows = 0;
  let lineageUnavailable = 0;
  let reserved: string[] | null = null;
  const sink: ViolationSink = { violations: null };

  function quarantineRow(row: ParserRow, list: { column: string; violation_type: ViolationType; message: string }[], index: number): Record<string, unknown> {
    const q: Record<string, unknown> = {};
    for (const c of contractCols) q[c] = asText(row[c]);
    let extra: Record<string, string | null> | null = null;
    for (const k in row) {
      if (contractSet.has(k) || POSITION.has(k)) continue;
      (extra ??= {})[k] = asText(row[k]);
    }
    q._extra_columns = extra === null ? null : JSON.stringify(Object.fromEntries(Object.entries(extra).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    q._error_msg = list.map((v) => v.message).join('; ');
    q._violations = JSON.stringify(list);
    q._violation_type = list[0].violation_type;
    q._cf_job_id = lineage.jobId;
    const rowId = row.__cf_row_id;
    const hasId = rowId !== undefined && rowId !== null && rowId !== '';
    q._source_row = hasId ? position(rowId) : null;
    q._output_row_index = hasId ? null : index;
    q.line_number = position(row.line_number);
    q.message_index = position(row.message_index);
    q._cf_source_offset = position(row.source_offset);
    q._cf_source_length = position(row.source_length);
    return q;
  }

  return {
    push(batch) {
      useMode('objects');
      const valid: Record<string, unknown>[] = [];
      const quarantine: Record<string, unknown>[] = [];
      if (reserved === null && batch.length > 0) reserved = findReservedColumns(Object.keys(batch[0])).map((p) => p.column);
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i];
        const index = rows++;
        const rowId = row.__cf_row_id;
        if (rowId === undefined || rowId === null || rowId === '') lineageUnavailable++;
        const out = buildRow(row, sink);
        const list = sink.violations;
        if (list === null) {
          out.line_number = position(row.line_number);
          out.message_index = position(row.message_index);
          out._cf_source_offset = position(row.source_offset);
          out._cf_source_length = position(row.source_length);
          out._cf_source_hash = lineage.sourceHash;
          out._cf_job_id = lineage.jobId;
          out._cf_processed_at = processedAt;
          out._cf_parser_version = lineage.parserVersion;
          out._cf_contract_hash = lineage.contractHash;
          hasher.updateLine((encodeValid ??= compileValidObjectEncoder(stagedColumns))(out), blockOf(out.message_index as number | null));
          valid.push(out);
          validRows++;
        } else {
          for (const v of list) violations[v.violation_type]++;
          quarantine.push(quarantineRow(row, list, index));
          quarantineRows++;
        }
      }
      return { valid, quarantine };
    },
    pushStaged(batch) {
      useMode('staged');
      const write = (writeStaged ??= validator.stagedBufferWriter());
      const out = (staged ??= new StagedBuffer());
      const quarantine: Record<string, unknown>[] = [];
      if (reserved === null && batch.length > 0) reserved = findReservedColumns(Object.keys(batch[0])).map((p) => p.column);
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i];
        const index = rows++;
        const rowId = row.__cf_row_id;
        if (rowId === undefined || rowId === null || rowId === '') lineageUnavailable++;
        const before = out.buf;
        const start = out.used;
        if (write(row, sink, out)) {
          validRows++;
          // result_hash's block (result-hasher.ts); the row starts at 0 when the write moved to a new Buffer.
          const block = blockOf(position(row.message_index));
          if (block !== out.block) out.mark(out.buf === before ? start : 0, block);
        } else {
          const list = sink.violations!;
          for (const v of list) violations[v.violation_type]++;
          quarantine.push(quarantineRow(row, list, index));
          quarantineRows++;
        }
      }
      const chunks = out.full.length > 0 ? out.drainFull() : [];
      for (const c of chunks) hasher.updateBytes(c.bytes, c.marks);
      return { chunks, quarantine };
    },
    takeStaged() {
      if (staged === null) {
        hasher.end();
        return null;
      }
      const full = staged.drainFull();
      const rest = staged.takeRest();
      if (rest !== null) full.push(rest);
      for (const c of full) hasher.updateBytes(c.bytes, c.marks);
      // The end of the staged rows: a byte-range part hands over its last run (result-hasher.ts).
      hasher.end();
      if (full.length === 0) return null;
      // pushStaged drains every completed chunk, so at most `rest` remains here.
      if (full.length === 1) return full[0];
      return {
        bytes: Buffer.concat(full.map((c) => c.bytes)),
        rows: full.reduce((n, c) => n + c.rows, 0),
        longestLine: Math.max(...full.map((c) => c.longestLine)),
      };
    },
    stagedColumns,
    stats() {
      const warnings: string[] = [];
      if (lineageUnavailable > 0) {
        warnings.push(
          `${opts.contract.output}: ${lineageUnavailable} rows carry no __cf_row_id; quarantine rows point to _output_row_index instead of _source_row`,
        );
      }
      if (reserved && reserved.length > 0) warnings.push(`${opts.contract.output}: reserved _cf_ columns emitted: ${reserved.join(', ')}`);
      return {
        rows,
        valid_rows: validRows,
        quarantine_rows: quarantineRows,
        violations: { ...violations },
        lineage_unavailable_rows: lineageUnavailable,
        reserved_columns: reserved ?? [],
        warnings,
        result_hash: hasher.digest(staged === null ? undefined : { bytes: staged.peek(), marks: staged.marks }),
      };
    },
  };
}
