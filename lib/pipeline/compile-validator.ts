import type { ColumnSpec } from '../contracts/column-type';
import type { ContractDocument } from '../contracts/contract-document';
import type { ParserRow } from '../parsers/parser-types';
import { checkShapeAgainst, type ShapeResult } from './check-shape';
import { compileColumn, type ValueCheck } from './column-checker';
import { compileStagedBufferWriter, compileStagedLineWriter, type StagedBufferWriter, type StagedLineWriter } from './staged-valid-writer';
import { CheckFailure, type TypedRow, type Violation } from './violation';

// The hot path: a contract compiled once. Each column gets its value check closure (chosen once
// in column-checker.ts); the row loop itself is generated as straight-line code with the column
// names as literal property keys, because V8 reads and builds objects with constant keys an order
// of magnitude faster than through `row[name]` / `out[name] = …` with varying names (measured:
// 50-column rows, ~12x). Names enter the generated source only through JSON.stringify.
//
// Rules: '' and null/undefined are null; a null in a non-nullable column is null_not_allowed.
// Cells that are JS numbers (position metadata routed to a column) are read as their text; JS
// booleans are taken as is by boolean columns and as 'true'/'false' text by others. Every
// violation of the row is collected, in contract order; a failed cell is null in the values.

export type ValidationResult = { ok: true; values: TypedRow } | { ok: false; violations: Violation[] };

/** Receives the violations of the last `validateRow` call (null when the row is valid). */
export interface ViolationSink {
  violations: Violation[] | null;
}

export interface CompiledValidator {
  readonly contract: ContractDocument;
  /** Contract column names in order. */
  readonly columns: readonly string[];
  checkShape(columns: readonly (string | ColumnSpec)[]): ShapeResult;
  validate(row: ParserRow): ValidationResult;
  /**
   * Hot path: returns a fresh object with the typed value of every contract column (contract
   * order; failed cells null) and sets `sink.violations` (null when valid). No other allocation
   * on a valid row; the splitter adds lineage to the returned object.
   */
  validateRow(row: ParserRow, sink: ViolationSink): TypedRow;
  /**
   * Like validateRow, but the returned object also has `extraKeys` (after the contract columns,
   * set to null) so a caller can fill them without reshaping the object (the splitter's lineage).
   */
  rowBuilder(extraKeys: readonly string[]): (row: ParserRow, sink: ViolationSink) => Record<string, unknown>;
  /**
   * The fused hot path (staged-valid-writer.ts): validates a row and returns its staged valid
   * line (contract columns + lineage) without building any object, or null with the violations.
   */
  stagedLineWriter(): StagedLineWriter;
  /** The same, writing the line (with LF) straight into a StagedBuffer: the run's hot path. */
  stagedBufferWriter(): StagedBufferWriter;
}

type RowFn = (row: ParserRow, sink: ViolationSink) => TypedRow;

function nullViolation(column: string): Violation {
  return { column, violation_type: 'null_not_allowed', message: `${column}: a value is required` };
}

function generateRowFunction(specs: readonly ColumnSpec[], checks: readonly ValueCheck[], extraKeys: readonly string[] = []): RowFn {
  const lines: string[] = ['"use strict";', 'return function validateRow(row, sink) {', '  let bad = null, v, r;'];
  specs.forEach((spec, i) => {
    const key = JSON.stringify(spec.name);
    lines.push(`  let t${i} = null;`, `  v = row[${key}];`);
    const onNull = spec.nullable ? '' : `(bad ??= []).push(nullV(${key}));`;
    lines.push(`  if (v === undefined || v === null || v === '') { ${onNull} }`);
    if (spec.type === 'boolean') lines.push(`  else if (typeof v === 'boolean') t${i} = v;`);
    lines.push(
      `  else {`,
      `    r = c${i}(typeof v === 'string' ? v : String(v));`,
      `    if (r instanceof CF) (bad ??= []).push({ column: ${key}, violation_type: r.type, message: ${JSON.stringify(spec.name + ': ')} + r.message });`,
      `    else t${i} = r;`,
      `  }`,
    );
  });
  const fields = [...specs.map((s, i) => `${JSON.stringify(s.name)}: t${i}`), ...extraKeys.map((k) => `${JSON.stringify(k)}: null`)];
  lines.push('  sink.violations = bad;', `  return { ${fields.join(', ')} };`, '};');
  const params = ['CF', 'nullV', ...checks.map((_, i) => `c${i}`)];
  let factory: (...args: unknown[]) => RowFn;
  try {
    factory = new Function(...params, lines.join('\n')) as (...args: unknown[]) => RowFn;
  } catch {
    // A Content-Security-Policy without 'unsafe-eval' (the production web app) forbids generated
    // code: same rules, interpreted, slower.
    return interpretedRowFunction(specs, checks, extraKeys);
  }
  return factory(CheckFailure, nullViolation, ...checks);
}

function interpretedRowFunction(specs: readonly ColumnSpec[], checks: readonly ValueCheck[], extraKeys: readonly string[]): RowFn {
  return (row, sink) => {
    let bad: Violation[] | null = null;
    const out: Record<string, string | boolean | null> = {};
    specs.forEach((spec, i) => {
      const name = spec.name;
      const v = row[name];
      let t: string | boolean | null = null;
      if (v === undefined || v === null || v === '') {
        if (!spec.nullable) (bad ??= []).push(nullViolation(name));
      } else if (typeof v === 'boolean' && spec.type === 'boolean') t = v;
      else {
        const r = checks[i](typeof v === 'string' ? v : String(v));
        if (r instanceof CheckFailure) (bad ??= []).push({ column: name, violation_type: r.type, message: `${name}: ${r.message}` });
        else t = r;
      }
      out[name] = t;
    });
    for (const k of extraKeys) out[k] = null;
    sink.violations = bad;
    return out;
  };
}

export function compileValidator(contract: ContractDocument): CompiledValidator {
  const compiled = contract.columns.map(compileColumn);
  const checks = compiled.map((c) => c.check);
  const validateRow = generateRowFunction(contract.columns, checks);
  return {
    contract,
    columns: compiled.map((c) => c.name),
    checkShape: (columns) => checkShapeAgainst(contract, columns),
    validate(row) {
      const sink: ViolationSink = { violations: null };
      const values = validateRow(row, sink);
      return sink.violations === null ? { ok: true, values } : { ok: false, violations: sink.violations };
    },
    validateRow,
    rowBuilder: (extraKeys) => generateRowFunction(contract.columns, checks, extraKeys),
    stagedLineWriter: () => compileStagedLineWriter(contract.columns, checks),
    stagedBufferWriter: () => compileStagedBufferWriter(contract.columns, checks),
  };
}
