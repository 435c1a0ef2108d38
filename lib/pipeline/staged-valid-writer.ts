import type { ColumnSpec } from '../contracts/column-type';
import type { ContractDocument } from '../contracts/contract-document';
import { duckdbTypeOf } from '../contracts/duckdb-type';
import type { ParserRow } from '../parsers/parser-types';
import type { ValueCheck } from './column-checker';
import { encodeCanonicalCell, encodeCell, encodeTextCell, FIELD_DELIMITER, isTextDuckdbType, putCanonicalCell, putTextCell, StagedBuffer } from './staged-text';
import { CheckFailure, type Violation } from './violation';

// The fused hot path of a run: validation and staging in one pass. A valid parser row is written
// as its staged line (staged-text.ts) straight into a Buffer, with no intermediate typed-row or
// lineage object and no line string (measured on 100k FIX order events, CPU: object path
// ~1.65 s, fused with a line string ~0.7 s, fused into the Buffer ~0.6 s). The bytes are
// exactly what db/parquet's row encoder would write for the valid row object the
// splitter's object path builds (test/pipeline/staged-valid-writer.test.ts checks this on varied
// rows). Rows with violations return null and report them, like validateRow; the splitter then
// builds their quarantine row on the object path.
//
// Layout of a staged valid line: the contract columns in contract order, then the lineage
// columns (LINEAGE_COLUMNS). The lineage that is the same on every row of a run
// (STAGED_CONSTANT_COLUMNS) is staged as an empty cell and written by the sink's COPY as a
// literal; so the staged bytes do not depend on the job id or the clock, and result_hash is
// taken over them.

/** Columns a valid row carries after the contract columns, in this order. */
export const LINEAGE_COLUMNS = [
  'line_number',
  'message_index',
  '_cf_source_hash',
  '_cf_job_id',
  '_cf_processed_at',
  '_cf_parser_version',
  '_cf_contract_hash',
  '_cf_source_offset',
  '_cf_source_length',
] as const;

/** Lineage columns staged as empty cells (constant per run; the Parquet sink writes them as literals). */
export const STAGED_CONSTANT_COLUMNS: readonly string[] = ['_cf_source_hash', '_cf_job_id', '_cf_processed_at', '_cf_parser_version', '_cf_contract_hash'];

/** Lineage column → the parser row's position column it is read from. */
const POSITION_SOURCE: Readonly<Record<string, string>> = {
  line_number: 'line_number',
  message_index: 'message_index',
  _cf_source_offset: 'source_offset',
  _cf_source_length: 'source_length',
};

export interface StagedColumn {
  name: string;
  /** duckdbTypeOf the contract type; BIGINT for positions, VARCHAR / TIMESTAMPTZ for constants. */
  duckdbType: string;
  /** Staged as an empty cell: the sink writes the run's value as a literal. */
  constant: boolean;
}

const LINEAGE_TYPES: Readonly<Record<(typeof LINEAGE_COLUMNS)[number], string>> = {
  line_number: 'BIGINT',
  message_index: 'BIGINT',
  _cf_source_hash: 'VARCHAR',
  _cf_job_id: 'VARCHAR',
  _cf_processed_at: 'TIMESTAMPTZ',
  _cf_parser_version: 'VARCHAR',
  _cf_contract_hash: 'VARCHAR',
  _cf_source_offset: 'BIGINT',
  _cf_source_length: 'BIGINT',
};

/** The column layout of a staged valid line of `contract`. */
export function stagedValidColumns(contract: ContractDocument): StagedColumn[] {
  return [
    ...contract.columns.map((c) => ({ name: c.name, duckdbType: duckdbTypeOf(c.type), constant: false })),
    ...LINEAGE_COLUMNS.map((name) => ({ name, duckdbType: LINEAGE_TYPES[name], constant: STAGED_CONSTANT_COLUMNS.includes(name) })),
  ];
}

/** The staged cell of a position value (line number, offset…): as the object path's position() + encodeCell. */
export function positionCell(v: unknown): string {
  if (typeof v === 'number') return numberCell(v);
  if (v === undefined || v === null || v === '') return '';
  return numberCell(Number(v));
}

function numberCell(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`sink.bad_number: ${n} cannot be staged`);
  return String(n);
}

/** Bytes a position cell may take (String of any finite number, or of Number(text), is shorter). */
const POSITION_CELL_BUDGET = 32;

/**
 * Writes the position cell of `v` at `p` (exactly positionCell's text); returns the new end.
 * Non-negative safe integers (every line number, index, offset and length a parser emits) are
 * written digit by digit, with no string built per row; anything else goes through positionCell.
 */
export function putPositionCell(buf: Buffer, p: number, v: unknown): number {
  if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER && Math.floor(v) === v) {
    let n = v;
    let digits = 1;
    for (let d = 10; d <= n; d *= 10) digits++;
    const end = p + digits;
    let q = end;
    do {
      const r = n % 10;
      buf[--q] = 48 + r;
      n = (n - r) / 10;
    } while (n > 0);
    return end;
  }
  const text = positionCell(v);
  return text.length === 0 ? p : putCanonicalCell(buf, p, text);
}

/** Receives the violations of the last call (null when the row is valid). */
export interface StagedViolationSink {
  violations: Violation[] | null;
}

/** Validates `row`; returns its staged line (no LF) when valid, else null with `sink.violations` set. */
export type StagedLineWriter = (row: ParserRow, sink: StagedViolationSink) => string | null;

/**
 * Validates `row`; when valid, appends its staged line (with LF) to `out` and returns true,
 * else returns false with `sink.violations` set (nothing written).
 */
export type StagedBufferWriter = (row: ParserRow, sink: StagedViolationSink, out: StagedBuffer) => boolean;

function nullViolation(column: string): Violation {
  return { column, violation_type: 'null_not_allowed', message: `${column}: a value is required` };
}

/** Text of a checked value before its cell encoding (booleans as true/false, like encodeCell). */
function valueText(r: string | boolean): string {
  return typeof r === 'string' ? r : r ? 'true' : 'false';
}

/**
 * The generated writer: straight-line code with the column names as literal keys (see
 * compile-validator.ts for why), one check closure per column. All checks run first; only a
 * valid row is written, cell by cell straight into the Buffer (putTextCell / putCanonicalCell),
 * so no line string and no per-row object is built.
 */
export function compileStagedBufferWriter(specs: readonly ColumnSpec[], checks: readonly ValueCheck[]): StagedBufferWriter {
  const layout = stagedValidColumns({ columns: specs } as ContractDocument);
  const lines: string[] = ['"use strict";', 'return function writeStaged(row, sink, out) {', '  let bad = null, v, r;'];
  specs.forEach((spec, i) => {
    const key = JSON.stringify(spec.name);
    lines.push(`  let t${i} = null;`, `  v = row[${key}];`);
    const onNull = spec.nullable ? '' : `(bad ??= []).push(nullV(${key}));`;
    lines.push(`  if (v === undefined || v === null || v === '') { ${onNull} }`);
    if (spec.type === 'boolean') lines.push(`  else if (typeof v === 'boolean') t${i} = v ? 'true' : 'false';`);
    lines.push(
      `  else {`,
      `    r = c${i}(typeof v === 'string' ? v : String(v));`,
      `    if (r instanceof CF) (bad ??= []).push({ column: ${key}, violation_type: r.type, message: ${JSON.stringify(spec.name + ': ')} + r.message });`,
      `    else t${i} = typeof r === 'string' ? r : valueText(r);`,
      `  }`,
    );
  });
  lines.push('  sink.violations = bad;', '  if (bad !== null) return false;');
  // The byte budget: 3 per char of a value + 3 per cell, a fixed budget per position cell.
  const lengths: string[] = [];
  let positions = 0;
  layout.forEach((c, i) => {
    if (i < specs.length) lengths.push(`(t${i} === null ? 0 : t${i}.length)`);
    else if (!c.constant) positions++;
  });
  lines.push(`  const buf = out.reserve(3 * (${lengths.join(' + ')}) + ${3 * layout.length + 1 + positions * POSITION_CELL_BUDGET});`, '  let p = out.used;', '  const start = p;');
  layout.forEach((c, i) => {
    if (i > 0) lines.push('  buf[p++] = 31;');
    if (i < specs.length) {
      const put = isTextDuckdbType(c.duckdbType) ? 'putText' : 'putCanon';
      lines.push(`  if (t${i} !== null) p = ${put}(buf, p, t${i});`);
    } else if (!c.constant) {
      // Position cells: the text of a number ('' for NULL), written without a string per row.
      lines.push(`  p = putPos(buf, p, row[${JSON.stringify(POSITION_SOURCE[c.name])}]);`);
    }
  });
  lines.push('  buf[p++] = 10;', '  if (p - start > out.longest) out.longest = p - start;', '  out.used = p;', '  out.rows++;', '  return true;', '};');
  const params = ['CF', 'nullV', 'valueText', 'putPos', 'putText', 'putCanon', ...checks.map((_, i) => `c${i}`)];
  try {
    const factory = new Function(...params, lines.join('\n')) as (...args: unknown[]) => StagedBufferWriter;
    return factory(CheckFailure, nullViolation, valueText, putPositionCell, putTextCell, putCanonicalCell, ...checks);
  } catch {
    // No generated code allowed (a Content-Security-Policy without 'unsafe-eval'): same rules, interpreted.
    const writeLine = interpretedStagedLineWriter(specs, checks, layout);
    return (row, sink, out) => {
      const line = writeLine(row, sink);
      if (line === null) return false;
      const buf = out.reserve(3 * line.length + 1);
      const bytes = buf.write(line, out.used, 'utf8') + 1;
      buf[out.used + bytes - 1] = 0x0a;
      out.used += bytes;
      if (bytes > out.longest) out.longest = bytes;
      out.rows++;
      return true;
    };
  }
}

/** The staged line of one row as a string (tests, one-off use): the buffer writer's bytes, decoded. */
export function compileStagedLineWriter(specs: readonly ColumnSpec[], checks: readonly ValueCheck[]): StagedLineWriter {
  const write = compileStagedBufferWriter(specs, checks);
  return (row, sink) => {
    const out = new StagedBuffer(1 << 12);
    if (!write(row, sink, out)) return null;
    const bytes = out.peek();
    return bytes.toString('utf8', 0, bytes.length - 1);
  };
}

/** Cell text of a checked value of a text column, as encodeCell would stage it. */
function textCell(r: string | boolean): string {
  return typeof r === 'string' ? encodeTextCell(r) : encodeCell(r);
}

function interpretedStagedLineWriter(specs: readonly ColumnSpec[], checks: readonly ValueCheck[], layout: readonly StagedColumn[]): StagedLineWriter {
  return (row, sink) => {
    let bad: Violation[] | null = null;
    const cells: string[] = [];
    specs.forEach((spec, i) => {
      const name = spec.name;
      const v = row[name];
      let t = '';
      if (v === undefined || v === null || v === '') {
        if (!spec.nullable) (bad ??= []).push(nullViolation(name));
      } else if (typeof v === 'boolean' && spec.type === 'boolean') t = v ? 'true' : 'false';
      else {
        const r = checks[i](typeof v === 'string' ? v : String(v));
        if (r instanceof CheckFailure) (bad ??= []).push({ column: name, violation_type: r.type, message: `${name}: ${r.message}` });
        else t = isTextDuckdbType(layout[i].duckdbType) ? textCell(r) : encodeCanonicalCell(r);
      }
      cells.push(t);
    });
    sink.violations = bad;
    if (bad !== null) return null;
    for (let i = specs.length; i < layout.length; i++) {
      const c = layout[i];
      cells.push(c.constant ? '' : positionCell(row[POSITION_SOURCE[c.name]]));
    }
    return cells.join(FIELD_DELIMITER);
  };
}

/**
 * The staged line of a valid row object (the splitter's object path): the same text the fused
 * writer produces for the parser row it came from. Constant columns are empty cells.
 */
export function compileValidObjectEncoder(layout: readonly StagedColumn[]): (row: Record<string, unknown>) => string {
  return (row) => {
    let line = '';
    for (let i = 0; i < layout.length; i++) {
      const c = layout[i];
      if (i > 0) line += FIELD_DELIMITER;
      if (c.constant) continue;
      const v = row[c.name];
      if (v === null || v === undefined) continue;
      line += isTextDuckdbType(c.duckdbType) ? encodeCell(v) : encodeCanonicalCell(v);
    }
    return line;
  };
}
