import type { ColumnSpec } from '../contracts/column-type';
import type { ContractDocument, ContractMode } from '../contracts/contract-document';
import { canonicalJson } from '../contracts/canonical-json';
import { resolveTemporalFormat, temporalKindOf } from '../contracts/temporal-format';
import { describeType } from './check-shape';
import { compileValueCheck } from './column-checker';
import type { ObservedColumn, ObservedSchema } from './observed-schema';
import { CheckFailure } from './violation';

// Intent vs observed vs contract, as JSON the UI shows. The left side is what the data is (an
// observed schema) or what the parser declares (its intent columns); the right side is what is
// expected (a contract, or plain columns such as the intent).
// - missing: expected columns the left side lacks (`optional` when the contract mode tolerates it)
// - extra: left-side columns the right side does not list (`allowed` unless the mode is strict)
// - type_mismatches: for observed data, a column whose values the expected type cannot read
//   (decided from what every value was readable as, not from the inferred label: 20240102 is an
//   integer AND a fix_local_mkt_date); for declared columns, any difference of type or format.
// - nullability_mismatches: nulls (observed, or a declared nullable column) where the expected
//   column is not nullable.
// `blocking` is true while a type mismatch is unresolved: approval is refused then.

export interface SchemaDiff {
  source: 'observed' | 'declared';
  target: 'contract' | 'columns';
  ok: boolean;
  blocking: boolean;
  missing: { name: string; type: string; nullable: boolean; optional: boolean }[];
  extra: { name: string; type: string; allowed: boolean }[];
  type_mismatches: { name: string; expected: string; observed: string; reason: string }[];
  nullability_mismatches: { name: string; expected_nullable: boolean; observed_nullable: boolean; null_ratio: number | null }[];
}

function isObserved(x: ObservedSchema | readonly ColumnSpec[]): x is ObservedSchema {
  return !Array.isArray(x) && typeof (x as ObservedSchema).rows === 'number';
}

function expectedLabel(spec: ColumnSpec): string {
  return describeType(spec.type) + (spec.format ? ` format ${spec.format}` : '');
}

function observedLabel(col: ObservedColumn): string {
  if (col.column_type === null) return 'empty';
  return describeType(col.column_type) + (col.format ? ` format ${col.format}` : '');
}

/** Why the observed values cannot be read as `spec`, or null when they can. */
export function observedMismatch(col: ObservedColumn, spec: ColumnSpec): string | null {
  if (col.type === 'empty') return null;
  const r = col.readable;
  const t = spec.type;
  if (t === 'string') return null;
  if (t === 'int64') return r.int64 ? null : 'not every value is an int64 integer';
  if (t === 'float64') return r.float64 ? null : 'not every value is a number';
  if (t === 'boolean') return r.boolean ? null : 'not every value is a boolean spelling';
  const kind = temporalKindOf(t);
  if (kind !== null) {
    const f = resolveTemporalFormat(kind, spec.format);
    if (!f.ok) return f.message;
    if (f.format.kind === 'pattern') {
      // luxon patterns: checked on the sampled values with the validator's own check
      const check = compileValueCheck(t, spec.format);
      const bad = col.samples.find((s) => check(s) instanceof CheckFailure);
      return bad === undefined ? null : `value ${JSON.stringify(bad)} does not read as ${expectedLabel(spec)}`;
    }
    const name = f.format.name;
    if (kind === 'date') {
      const fits = name === 'iso8601' ? r.date_iso8601 : r.date_fix_local_mkt_date;
      return fits ? null : `not every value is a date in format ${name}`;
    }
    if (name === 'fix_utc_timestamp') return r.timestamp_fix_utc ? null : 'not every value is a FIX UTCTimestamp';
    if (kind === 'timestamp') return r.timestamp_iso8601_naive ? null : 'not every value is an ISO 8601 timestamp without offset';
    if (r.timestamp_iso8601_offset) return null;
    return r.timestamp_iso8601_naive ? 'values carry no offset (timezone_required)' : 'not every value is an ISO 8601 timestamp with offset';
  }
  if (typeof t === 'object') {
    if (t.kind === 'decimal') {
      const d = r.decimal;
      if (d === null) return 'not every value is decimal text';
      if (d.frac_digits > t.scale) return `values have up to ${d.frac_digits} fraction digits, scale is ${t.scale}`;
      if (d.int_digits > t.precision - t.scale) return `values have up to ${d.int_digits} integer digits, decimal(${t.precision},${t.scale}) holds ${t.precision - t.scale}`;
      return null;
    }
    if (t.kind === 'enum') {
      if (col.distinct_values === null) return 'more distinct values than an enum check covers';
      const allowed = new Set(t.values);
      const outside = col.distinct_values.filter((v) => !allowed.has(v));
      return outside.length === 0 ? null : `values outside the enum: ${outside.slice(0, 5).join(', ')}`;
    }
  }
  return null;
}

export function diffSchemas(left: ObservedSchema | readonly ColumnSpec[], right: ContractDocument | readonly ColumnSpec[]): SchemaDiff {
  const expected: readonly ColumnSpec[] = Array.isArray(right) ? right : (right as ContractDocument).columns;
  const mode: ContractMode | null = Array.isArray(right) ? null : (right as ContractDocument).mode;
  const observed = isObserved(left);
  const leftNames = observed ? left.columns.map((c) => c.name) : (left as readonly ColumnSpec[]).map((c) => c.name);
  const obsByName = new Map(observed ? left.columns.map((c) => [c.name, c] as const) : []);
  const declByName = new Map(observed ? [] : (left as readonly ColumnSpec[]).map((c) => [c.name, c] as const));
  const expectedNames = new Set(expected.map((c) => c.name));

  const diff: SchemaDiff = {
    source: observed ? 'observed' : 'declared',
    target: Array.isArray(right) ? 'columns' : 'contract',
    ok: true,
    blocking: false,
    missing: [],
    extra: [],
    type_mismatches: [],
    nullability_mismatches: [],
  };
  for (const spec of expected) {
    const o = obsByName.get(spec.name);
    const d = declByName.get(spec.name);
    if (!o && !d) {
      diff.missing.push({ name: spec.name, type: expectedLabel(spec), nullable: spec.nullable, optional: mode === 'allow_missing_optional' && spec.nullable });
      continue;
    }
    if (o) {
      const why = observedMismatch(o, spec);
      if (why) diff.type_mismatches.push({ name: spec.name, expected: expectedLabel(spec), observed: observedLabel(o), reason: why });
      if (o.null_count > 0 && !spec.nullable) {
        diff.nullability_mismatches.push({ name: spec.name, expected_nullable: false, observed_nullable: true, null_ratio: o.null_ratio });
      }
    } else if (d) {
      if (canonicalJson(d.type) !== canonicalJson(spec.type) || (d.format ?? null) !== (spec.format ?? null)) {
        diff.type_mismatches.push({ name: spec.name, expected: expectedLabel(spec), observed: expectedLabel(d), reason: 'declared type or format differs' });
      }
      if (d.nullable && !spec.nullable) {
        diff.nullability_mismatches.push({ name: spec.name, expected_nullable: false, observed_nullable: true, null_ratio: null });
      }
    }
  }
  for (const name of leftNames) {
    if (expectedNames.has(name)) continue;
    const type = observed ? observedLabel(obsByName.get(name)!) : expectedLabel(declByName.get(name)!);
    diff.extra.push({ name, type, allowed: mode !== 'strict' });
  }
  diff.blocking = diff.type_mismatches.length > 0;
  diff.ok =
    !diff.blocking &&
    diff.nullability_mismatches.length === 0 &&
    diff.missing.every((m) => m.optional) &&
    diff.extra.every((e) => e.allowed);
  return diff;
}
