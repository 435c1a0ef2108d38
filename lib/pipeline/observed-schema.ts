import type { ColumnType } from '../contracts/column-type';
import { POSITION_COLUMNS, type ParserRow } from '../parsers/parser-types';
import { checkBoolean } from './lexical/boolean';
import { measureDecimal } from './lexical/decimal';
import { checkFloat64 } from './lexical/float64';
import { checkInt64 } from './lexical/int64';
import { readFixDate, readFixTimestamp, readIsoDate, readIsoTimestamp, scratch } from './lexical/temporal';
import { CheckFailure } from './violation';

// The observed schema of an output, inferred from a sample of its rows: for each column the
// narrowest reading every non-null value allows (boolean words / integer / decimal with the
// largest precision and scale seen / date / timestamp with or without offset / string), the null
// ratio, and what each value could be read as (`readable`), which the schema diff uses to decide
// whether a contract type fits the data without guessing from the inferred label alone.

export type ObservedKind = 'empty' | 'boolean' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'timestamp_tz' | 'string';

export interface ObservedReadable {
  int64: boolean;
  float64: boolean;
  boolean: boolean;
  /** every value is decimal text; largest integer and fraction digit counts seen */
  decimal: { int_digits: number; frac_digits: number } | null;
  date_iso8601: boolean;
  date_fix_local_mkt_date: boolean;
  timestamp_iso8601_naive: boolean;
  timestamp_iso8601_offset: boolean;
  timestamp_fix_utc: boolean;
}

export interface ObservedColumn {
  name: string;
  type: ObservedKind;
  /** The observed type as a contract column type (null for an all-null column). */
  column_type: ColumnType | null;
  /** built-in format the values follow, for temporal kinds */
  format: 'iso8601' | 'fix_utc_timestamp' | 'fix_local_mkt_date' | null;
  nullable: boolean;
  null_count: number;
  /** null_count / rows, 0 when there are no rows */
  null_ratio: number;
  readable: ObservedReadable;
  /** Distinct non-null values when there are at most MAX_DISTINCT of them, else null. */
  distinct_values: string[] | null;
  /** The first few distinct non-null values, for display and for pattern checks. */
  samples: string[];
}

export interface ObservedSchema {
  rows: number;
  columns: ObservedColumn[];
}

export const MAX_DISTINCT = 100;
const MAX_SAMPLES = 20;
const POSITION: ReadonlySet<string> = new Set(POSITION_COLUMNS);

interface Acc {
  name: string;
  nonNull: number;
  int64: boolean;
  float64: boolean;
  boolean: boolean;
  /** a spelling of two letters or more (yes, no, true, false) */
  boolWords: boolean;
  boolLetterTrue: boolean;
  boolLetterFalse: boolean;
  decimal: boolean;
  intDigits: number;
  fracDigits: number;
  dateIso: boolean;
  dateFix: boolean;
  dateFixPlausible: boolean;
  tsNaive: boolean;
  tsOffset: boolean;
  tsFix: boolean;
  distinct: Set<string> | null;
  samples: string[];
}

function newAcc(name: string): Acc {
  return {
    name, nonNull: 0, int64: true, float64: true, boolean: true, boolWords: false, boolLetterTrue: false, boolLetterFalse: false, decimal: true, intDigits: 0, fracDigits: 0,
    dateIso: true, dateFix: true, dateFixPlausible: true, tsNaive: true, tsOffset: true, tsFix: true, distinct: new Set(), samples: [],
  };
}

const ok = (r: unknown): boolean => !(r instanceof CheckFailure);

function observe(a: Acc, text: string): void {
  a.nonNull++;
  if (a.distinct !== null) {
    if (!a.distinct.has(text)) {
      a.distinct.add(text);
      if (a.samples.length < MAX_SAMPLES) a.samples.push(text);
      if (a.distinct.size > MAX_DISTINCT) a.distinct = null;
    }
  } else if (a.samples.length < MAX_SAMPLES && !a.samples.includes(text)) a.samples.push(text);
  if (a.int64 && !ok(checkInt64(text))) a.int64 = false;
  if (a.float64 && !ok(checkFloat64(text))) a.float64 = false;
  if (a.boolean) {
    const b = checkBoolean(text);
    if (b instanceof CheckFailure) a.boolean = false;
    else if (text.length > 1) a.boolWords = true;
    else if (text !== '0' && text !== '1') {
      if (b) a.boolLetterTrue = true;
      else a.boolLetterFalse = true;
    }
  }
  if (a.decimal) {
    const m = measureDecimal(text);
    if (m === null) a.decimal = false;
    else {
      if (m.intDigits > a.intDigits) a.intDigits = m.intDigits;
      if (m.fracDigits > a.fracDigits) a.fracDigits = m.fracDigits;
    }
  }
  if (a.dateIso && readIsoDate(text) !== null) a.dateIso = false;
  if (a.dateFix) {
    if (readFixDate(text) !== null) a.dateFix = false;
    else if (scratch.y < 1900 || scratch.y > 2199) a.dateFixPlausible = false;
  }
  if (a.tsNaive || a.tsOffset) {
    if (readIsoTimestamp(text) !== null) a.tsNaive = a.tsOffset = false;
    else if (scratch.hasOffset) a.tsNaive = false;
    else a.tsOffset = false;
  }
  if (a.tsFix && readFixTimestamp(text) !== null) a.tsFix = false;
}

function finish(a: Acc, rows: number, nulls: number): ObservedColumn {
  const any = a.nonNull > 0;
  const readable: ObservedReadable = {
    int64: any && a.int64,
    float64: any && a.float64,
    boolean: any && a.boolean,
    decimal: any && a.decimal ? { int_digits: a.intDigits, frac_digits: a.fracDigits } : null,
    date_iso8601: any && a.dateIso,
    date_fix_local_mkt_date: any && a.dateFix,
    timestamp_iso8601_naive: any && a.tsNaive,
    timestamp_iso8601_offset: any && a.tsOffset,
    timestamp_fix_utc: any && a.tsFix,
  };
  let type: ObservedKind;
  let columnType: ColumnType | null;
  let format: ObservedColumn['format'] = null;
  if (!any) {
    type = 'empty';
    columnType = null;
  } else if (readable.boolean && (a.boolWords || (a.boolLetterTrue && a.boolLetterFalse))) {
    // single letters count only when both truth values appear: a column of 'F' is a code, not false
    type = 'boolean';
    columnType = 'boolean';
  } else if (readable.date_fix_local_mkt_date && a.dateFixPlausible) {
    // 8-digit values that are all plausible calendar dates read as FIX LocalMktDate, not integers
    type = 'date';
    columnType = 'date';
    format = 'fix_local_mkt_date';
  } else if (readable.int64) {
    type = 'integer';
    columnType = 'int64';
  } else if (readable.decimal && a.intDigits + a.fracDigits <= 38) {
    type = 'decimal';
    columnType = { kind: 'decimal', precision: Math.max(1, a.intDigits + a.fracDigits), scale: a.fracDigits };
  } else if (readable.date_iso8601) {
    type = 'date';
    columnType = 'date';
    format = 'iso8601';
  } else if (readable.timestamp_iso8601_offset || readable.timestamp_fix_utc) {
    type = 'timestamp_tz';
    columnType = { kind: 'timestamp_tz', tz: 'UTC' };
    format = readable.timestamp_fix_utc ? 'fix_utc_timestamp' : 'iso8601';
  } else if (readable.timestamp_iso8601_naive) {
    type = 'timestamp';
    columnType = 'timestamp';
    format = 'iso8601';
  } else {
    type = 'string';
    columnType = 'string';
  }
  return {
    name: a.name,
    type,
    column_type: columnType,
    format,
    nullable: nulls > 0,
    null_count: nulls,
    null_ratio: rows === 0 ? 0 : nulls / rows,
    readable,
    distinct_values: a.distinct === null ? null : [...a.distinct],
    samples: a.samples,
  };
}

/** Infers the observed schema of rows (a sample); position columns are not part of it. */
export function inferObservedSchema(rows: readonly ParserRow[]): ObservedSchema {
  const accs = new Map<string, Acc>();
  const nulls = new Map<string, number>();
  for (const row of rows) {
    for (const k in row) {
      if (POSITION.has(k) || accs.has(k)) continue;
      accs.set(k, newAcc(k));
      nulls.set(k, 0);
    }
  }
  for (const row of rows) {
    for (const [name, acc] of accs) {
      const v = row[name];
      if (v === undefined || v === null || v === '') nulls.set(name, nulls.get(name)! + 1);
      else observe(acc, typeof v === 'string' ? v : String(v));
    }
  }
  return { rows: rows.length, columns: [...accs.values()].map((a) => finish(a, rows.length, nulls.get(a.name)!)) };
}
