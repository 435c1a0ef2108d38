import type { ColumnSpec, ColumnType } from '../contracts/column-type';
import type { ContractDocument } from '../contracts/contract-document';
import { describeType } from '../contracts/describe-type';
import { hasReservedPrefix } from '../contracts/reserved-names';
import { POSITION_COLUMNS } from '../parsers/parser-types';

// The shape of an output (its column names, and types when the parser declares them) against
// its contract, per mode. Shape problems fail the whole output (`schema_mismatch`); they are
// never quarantined row by row.
// - missing: a contract column the output lacks. Fails, except a nullable column in
//   allow_missing_optional mode (its values are then null).
// - extra: an output column the contract lacks. Fails in strict mode only.
// - order: reported when the shared columns come in another order; never fails (rows are objects
//   and the written column order is the contract's).
// - types: a declared column type of another family than the contract's (a contract `string`
//   or `enum` accepts any text and never mismatches; an undeclared / string source is read as text).
// - reserved: `_cf_*` columns emitted by the parser; they fail the job (`pipeline.reserved_column`).

export interface ShapeTypeMismatch {
  column: string;
  expected: string;
  actual: string;
}

export interface ShapeDiagnostics {
  missing: string[];
  extra: string[];
  order: { expected: string[]; actual: string[] } | null;
  types: ShapeTypeMismatch[];
  reserved: string[];
}

export interface ShapeResult {
  ok: boolean;
  /** 'schema_mismatch' when not ok, else null. */
  code: 'schema_mismatch' | null;
  diagnostics: ShapeDiagnostics;
  /** One human line per problem. */
  messages: string[];
}

export { describeType };

const POSITION: ReadonlySet<string> = new Set(POSITION_COLUMNS);

export type TypeFamily = 'text' | 'integer' | 'float' | 'decimal' | 'boolean' | 'date' | 'timestamp' | 'nested';

export function typeFamily(type: ColumnType): TypeFamily {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return 'text';
      case 'int64':
        return 'integer';
      case 'float64':
        return 'float';
      case 'boolean':
        return 'boolean';
      case 'date':
        return 'date';
      case 'timestamp':
        return 'timestamp';
    }
  }
  switch (type.kind) {
    case 'decimal':
      return 'decimal';
    case 'timestamp_tz':
      return 'timestamp';
    case 'enum':
      return 'text';
    default:
      return 'nested';
  }
}

/** Whether text typed as `source` can be read under a contract type of `target` family. */
function familiesCompatible(source: TypeFamily, target: TypeFamily): boolean {
  if (source === target || target === 'text' || source === 'text') return true;
  // every integer is a decimal and a float; a decimal is a float
  if (source === 'integer' && (target === 'decimal' || target === 'float')) return true;
  if (source === 'decimal' && target === 'float') return true;
  return false;
}

export function checkShapeAgainst(contract: Pick<ContractDocument, 'mode' | 'columns'>, output: readonly (string | ColumnSpec)[]): ShapeResult {
  const actual: string[] = [];
  const actualTypes = new Map<string, ColumnType>();
  const reserved: string[] = [];
  for (const c of output) {
    const name = typeof c === 'string' ? c : c.name;
    if (POSITION.has(name)) continue;
    if (hasReservedPrefix(name)) {
      reserved.push(name);
      continue;
    }
    actual.push(name);
    if (typeof c !== 'string') actualTypes.set(name, c.type);
  }
  const actualSet = new Set(actual);
  const contractNames = contract.columns.map((c) => c.name);
  const contractSet = new Set(contractNames);
  const messages: string[] = [];
  let ok = reserved.length === 0;
  for (const r of reserved) messages.push(`column "${r}" uses the reserved _cf_ prefix (pipeline.reserved_column)`);

  const missing: string[] = [];
  for (const col of contract.columns) {
    if (actualSet.has(col.name)) continue;
    missing.push(col.name);
    if (contract.mode === 'allow_missing_optional' && col.nullable) {
      messages.push(`optional column "${col.name}" is missing (its values are null)`);
    } else {
      ok = false;
      messages.push(`column "${col.name}" is missing`);
    }
  }
  const extra = actual.filter((n) => !contractSet.has(n));
  if (extra.length > 0) {
    if (contract.mode === 'strict') {
      ok = false;
      messages.push(`extra columns not allowed in strict mode: ${extra.join(', ')}`);
    } else messages.push(`extra columns ignored: ${extra.join(', ')}`);
  }
  const sharedExpected = contractNames.filter((n) => actualSet.has(n));
  const sharedActual = actual.filter((n) => contractSet.has(n));
  const order = sharedExpected.some((n, i) => sharedActual[i] !== n) ? { expected: sharedExpected, actual: sharedActual } : null;
  if (order) messages.push('columns come in another order than the contract (not an error)');

  const types: ShapeTypeMismatch[] = [];
  for (const col of contract.columns) {
    const t = actualTypes.get(col.name);
    if (t === undefined) continue;
    if (!familiesCompatible(typeFamily(t), typeFamily(col.type))) {
      types.push({ column: col.name, expected: describeType(col.type), actual: describeType(t) });
      ok = false;
      messages.push(`column "${col.name}" is declared ${describeType(t)}, the contract expects ${describeType(col.type)}`);
    }
  }
  return { ok, code: ok ? null : 'schema_mismatch', diagnostics: { missing, extra, order, types, reserved }, messages };
}

export interface PipelineProblem {
  code: 'pipeline.reserved_column';
  column: string;
  message: string;
}

/** `_cf_*` columns a parser emitted: each fails the job. */
export function findReservedColumns(columns: Iterable<string>): PipelineProblem[] {
  const out: PipelineProblem[] = [];
  for (const c of columns) {
    if (hasReservedPrefix(c) && c !== '__cf_row_id') {
      out.push({ code: 'pipeline.reserved_column', column: c, message: `parser column "${c}" uses the _cf_ prefix reserved for the pipeline` });
    }
  }
  return out;
}
