import { DateTime } from 'luxon';
import { BUILTIN_FORMATS, type ColumnType } from './column-type';

// Formats of date / timestamp / timestamp_tz columns. Three are built in (and validated by
// hand-written char scans in the hot path); anything else must be a luxon pattern, checked
// here once when the contract is read, never per value.

export type BuiltinFormat = (typeof BUILTIN_FORMATS)[number];

export type TemporalFormat =
  | { kind: 'builtin'; name: BuiltinFormat }
  | { kind: 'pattern'; pattern: string; /** the pattern reads an offset or zone from the text */ hasZone: boolean };

export type TemporalKind = 'date' | 'timestamp' | 'timestamp_tz';

/** The temporal kind of a column type, or null when the type is not temporal. */
export function temporalKindOf(type: ColumnType): TemporalKind | null {
  if (type === 'date' || type === 'timestamp') return type;
  if (typeof type === 'object' && type.kind === 'timestamp_tz') return 'timestamp_tz';
  return null;
}

export function isBuiltinFormat(format: string): format is BuiltinFormat {
  return (BUILTIN_FORMATS as readonly string[]).includes(format);
}

/** Letters of a luxon pattern outside single-quoted literals (`'T'` is a literal T). */
function patternTokens(pattern: string): string {
  let out = '';
  let quoted = false;
  for (const ch of pattern) {
    if (ch === "'") quoted = !quoted;
    else if (!quoted) out += ch;
  }
  return out;
}

export function patternHasZone(pattern: string): boolean {
  const t = patternTokens(pattern);
  return t.includes('Z') || t.includes('z');
}

// A reference instant whose every field differs from the others, so a pattern that loses or
// swaps a field fails the round trip.
const REFERENCE = DateTime.fromObject(
  { year: 2031, month: 11, day: 23, hour: 17, minute: 45, second: 56, millisecond: 789 },
  { zone: 'UTC' },
);

/**
 * Reads the `format` of a column. Returns the format, or a message saying why it cannot be
 * used for this kind of column. A luxon pattern is accepted when formatting the reference
 * instant with it and parsing the text back gives the same calendar date (and, for
 * timestamps, the same hour and minute): a pattern without year, month and day is refused.
 */
export function resolveTemporalFormat(
  kind: TemporalKind,
  format: string | undefined,
): { ok: true; format: TemporalFormat } | { ok: false; message: string } {
  const f = format ?? 'iso8601';
  if (isBuiltinFormat(f)) {
    if (f === 'fix_local_mkt_date' && kind !== 'date') {
      return { ok: false, message: `format fix_local_mkt_date applies to date columns, not ${kind}` };
    }
    if (f === 'fix_utc_timestamp' && kind === 'date') {
      return { ok: false, message: 'format fix_utc_timestamp applies to timestamp columns, not date' };
    }
    return { ok: true, format: { kind: 'builtin', name: f } };
  }
  let text: string;
  try {
    text = REFERENCE.toFormat(f);
  } catch {
    return { ok: false, message: `format "${f}" is not a luxon pattern` };
  }
  const back = DateTime.fromFormat(text, f, { zone: 'UTC', setZone: true });
  if (!back.isValid) return { ok: false, message: `format "${f}" is neither a built-in format nor a luxon pattern that reads back what it writes` };
  const u = back.toUTC();
  const sameDate = u.year === REFERENCE.year && u.month === REFERENCE.month && u.day === REFERENCE.day;
  if (!sameDate) return { ok: false, message: `format "${f}" must contain year, month and day` };
  if (kind !== 'date' && (u.hour !== REFERENCE.hour || u.minute !== REFERENCE.minute)) {
    return { ok: false, message: `format "${f}" must contain hour and minute for a ${kind} column` };
  }
  return { ok: true, format: { kind: 'pattern', pattern: f, hasZone: patternHasZone(f) } };
}
