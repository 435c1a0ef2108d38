import type { ColumnSpec, ColumnType } from '../contracts/column-type';
import { resolveTemporalFormat, temporalKindOf, type TemporalFormat } from '../contracts/temporal-format';
import { checkBoolean } from './lexical/boolean';
import { decimalCheck } from './lexical/decimal';
import { checkFloat64 } from './lexical/float64';
import { checkInt64 } from './lexical/int64';
import { readPattern } from './lexical/pattern';
import {
  dateText,
  readFixDate,
  readFixTimestamp,
  readIsoDate,
  readIsoTimestamp,
  scratch,
  shiftToUtc,
  timestampText,
} from './lexical/temporal';
import { CheckFailure, quoteValue } from './violation';

// One closure per contract column, chosen once when the contract is compiled, so the per-value
// path is a direct call with no type dispatch. A check receives non-empty text (the validator
// has already turned '' / null into null) and returns the canonical typed value or a failure.

export type ValueCheck = (text: string) => string | boolean | CheckFailure;

const identity: ValueCheck = (text) => text;

function enumCheck(values: readonly string[]): ValueCheck {
  const set = new Set(values);
  const shown = values.length <= 8 ? values.join(', ') : values.slice(0, 8).join(', ') + ', …';
  return (text) => (set.has(text) ? text : new CheckFailure('enum_invalid', `${quoteValue(text)} is not one of ${shown}`));
}

// Date patterns that read exactly what a built-in date format reads (checked against luxon in
// test/pipeline/temporal-oracle.test.ts): they take the char-scan path instead of luxon per value.
const DATE_PATTERN_FAST_PATHS: Readonly<Record<string, 'iso8601' | 'fix_local_mkt_date'>> = {
  'yyyy-MM-dd': 'iso8601',
  yyyyMMdd: 'fix_local_mkt_date',
};

function temporalCheck(kind: 'date' | 'timestamp' | 'timestamp_tz', format: TemporalFormat, zone: string): ValueCheck {
  if (format.kind === 'pattern' && kind === 'date' && Object.prototype.hasOwnProperty.call(DATE_PATTERN_FAST_PATHS, format.pattern)) {
    return temporalCheck(kind, { kind: 'builtin', name: DATE_PATTERN_FAST_PATHS[format.pattern] }, zone);
  }
  if (format.kind === 'pattern') {
    const { pattern, hasZone } = format;
    const interpret = kind === 'timestamp_tz' && !hasZone;
    return (text) => {
      const f = readPattern(text, pattern, zone, interpret);
      if (f) return f;
      if (kind === 'date') return dateText(scratch);
      return kind === 'timestamp_tz' ? timestampText(scratch) + '+00' : timestampText(scratch);
    };
  }
  switch (format.name) {
    case 'fix_local_mkt_date':
      return (text) => readFixDate(text) ?? dateText(scratch);
    case 'fix_utc_timestamp':
      if (kind === 'timestamp_tz') return (text) => readFixTimestamp(text) ?? timestampText(scratch) + '+00';
      // A naive timestamp column keeps the UTC wall-clock time (FIX UTCTimestamp is UTC by definition).
      return (text) => readFixTimestamp(text) ?? timestampText(scratch);
    case 'iso8601':
      if (kind === 'date') return (text) => readIsoDate(text) ?? dateText(scratch);
      if (kind === 'timestamp') {
        return (text) => {
          const f = readIsoTimestamp(text);
          if (f) return f;
          if (scratch.hasOffset) {
            return new CheckFailure('format_invalid', `${quoteValue(text)} carries an offset, but the column is a timestamp without time zone`);
          }
          return timestampText(scratch);
        };
      }
      // timestamp_tz: the text must say which instant it is; no silent UTC, whatever the column zone.
      return (text) => {
        const f = readIsoTimestamp(text);
        if (f) return f;
        if (!scratch.hasOffset) {
          return new CheckFailure('timezone_required', `${quoteValue(text)} has no offset (Z or ±HH:MM) and the format does not fix one`);
        }
        return shiftToUtc(text) ?? timestampText(scratch) + '+00';
      };
  }
}

/** The check of one column type; throws on a type the contract parser would have refused. */
export function compileValueCheck(type: ColumnType, format: string | undefined): ValueCheck {
  const kind = temporalKindOf(type);
  if (kind !== null) {
    const r = resolveTemporalFormat(kind, format);
    if (!r.ok) throw new Error(`contract.format_invalid: ${r.message}`);
    return temporalCheck(kind, r.format, typeof type === 'object' && type.kind === 'timestamp_tz' ? type.tz : 'UTC');
  }
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return identity;
      case 'int64':
        return checkInt64;
      case 'float64':
        return checkFloat64;
      case 'boolean':
        return checkBoolean;
    }
  } else {
    switch (type.kind) {
      case 'decimal':
        // format: none or fix_float (no '+'), lib/pipeline/lexical/decimal.ts (F, issue 10)
        return decimalCheck(type.precision, type.scale, format);
      case 'enum':
        return enumCheck(type.values);
      case 'list':
      case 'struct':
        // Nested values arrive as JSON text; they are kept as text and cast by DuckDB.
        return identity;
    }
  }
  throw new Error(`unsupported column type ${JSON.stringify(type)}`);
}

export interface CompiledColumn {
  name: string;
  nullable: boolean;
  isBoolean: boolean;
  check: ValueCheck;
}

export function compileColumn(spec: ColumnSpec): CompiledColumn {
  return { name: spec.name, nullable: spec.nullable, isBoolean: spec.type === 'boolean', check: compileValueCheck(spec.type, spec.format) };
}
