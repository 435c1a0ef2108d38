import { CheckFailure, quoteValue } from '../violation';

// Hand-written readers for the built-in temporal formats (no luxon, no Date per value except an
// offset shift). They fill one module-level scratch record, which is safe because validation is
// synchronous and single-threaded, and avoids an object per value.
//
// iso8601 date:       YYYY-MM-DD
// iso8601 timestamp:  YYYY-MM-DD(T|t| )HH:MM[:SS[.f+]][Z|z|±HH[[:]MM]]
// fix_utc_timestamp:  YYYYMMDD-HH:MM:SS[.sss|.ssssss|.sssssssss]  (always UTC)
// fix_local_mkt_date: YYYYMMDD
// Years 0001–9999; impossible dates (Feb 30, Feb 29 of a non-leap year), hour 24 and leap
// second 60 are format_invalid. More than 6 fraction digits is precision_exceeded (never
// truncated). Canonical outputs: `YYYY-MM-DD` and `YYYY-MM-DD HH:MM:SS.ffffff` (6 digits always).

export interface TimeParts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  /** the fraction as exactly 6 digits */
  frac6: string;
  hasOffset: boolean;
  /** minutes east of UTC */
  offsetMin: number;
}

export const scratch: TimeParts = { y: 0, mo: 0, d: 0, h: 0, mi: 0, s: 0, frac6: '000000', hasOffset: false, offsetMin: 0 };

const FRAC_PAD = ['000000', '00000', '0000', '000', '00', '0', ''];
const PAD2: string[] = Array.from({ length: 60 }, (_, i) => (i < 10 ? '0' : '') + i);

/** Two or four digits at `at`, or -1 (also past the end: charCodeAt gives NaN there). */
function d2(t: string, at: number): number {
  const a = t.charCodeAt(at) - 48;
  const b = t.charCodeAt(at + 1) - 48;
  if (!(a >= 0 && a <= 9 && b >= 0 && b <= 9)) return -1;
  return a * 10 + b;
}
function d4(t: string, at: number): number {
  const hi = d2(t, at);
  const lo = d2(t, at + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function badFormat(text: string, expected: string): CheckFailure {
  return new CheckFailure('format_invalid', `${quoteValue(text)} does not match ${expected}`);
}
function impossible(text: string): CheckFailure {
  return new CheckFailure('format_invalid', `${quoteValue(text)} is not a real date or time`);
}

function dateOk(y: number, mo: number, d: number): boolean {
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function pad4(y: number): string {
  return y >= 1000 ? String(y) : String(y).padStart(4, '0');
}

export function dateText(p: TimeParts): string {
  return pad4(p.y) + '-' + PAD2[p.mo] + '-' + PAD2[p.d];
}

export function timestampText(p: TimeParts): string {
  return pad4(p.y) + '-' + PAD2[p.mo] + '-' + PAD2[p.d] + ' ' + PAD2[p.h] + ':' + PAD2[p.mi] + ':' + PAD2[p.s] + '.' + p.frac6;
}

/** Reads YYYY-MM-DD into scratch. */
export function readIsoDate(text: string): CheckFailure | null {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return badFormat(text, 'YYYY-MM-DD');
  return readDateDigits(text, 5, 8, 'YYYY-MM-DD');
}

/** Reads YYYYMMDD into scratch. */
export function readFixDate(text: string): CheckFailure | null {
  if (text.length !== 8) return badFormat(text, 'YYYYMMDD');
  return readDateDigits(text, 4, 6, 'YYYYMMDD');
}

/** The year at 0, month at `moAt` and day at `dAt` of a date whose layout the caller checked. */
function readDateDigits(text: string, moAt: number, dAt: number, format: string): CheckFailure | null {
  const y = d4(text, 0);
  const mo = d2(text, moAt);
  const d = d2(text, dAt);
  if (y < 0 || mo < 0 || d < 0) return badFormat(text, format);
  if (!dateOk(y, mo, d)) return impossible(text);
  scratch.y = y;
  scratch.mo = mo;
  scratch.d = d;
  return null;
}

function timeOk(h: number, mi: number, s: number): boolean {
  return h <= 23 && mi <= 59 && s <= 59;
}

/** Reads `.digits` at `at` (if any) into scratch.frac6; returns the index after it, or a failure. */
function readFraction(text: string, at: number): number | CheckFailure {
  const n = text.length;
  if (at >= n || text.charCodeAt(at) !== 46) {
    scratch.frac6 = '000000';
    return at;
  }
  let i = at + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const len = i - at - 1;
  if (len === 0) return badFormat(text, 'a fraction of a second');
  if (len > 6) {
    scratch.frac6 = '';
    return i; // the caller reports precision_exceeded once the rest is known to be well formed
  }
  scratch.frac6 = text.slice(at + 1, i) + FRAC_PAD[len];
  return i;
}

function tooPrecise(text: string): CheckFailure {
  return new CheckFailure('precision_exceeded', `${quoteValue(text)} has more than 6 fraction digits (microseconds); it is never truncated`);
}

const ISO_TS = 'an ISO 8601 timestamp (YYYY-MM-DDTHH:MM[:SS[.ffffff]][Z|±HH:MM])';

/** Reads an ISO 8601 timestamp (with or without offset) into scratch. */
export function readIsoTimestamp(text: string): CheckFailure | null {
  const n = text.length;
  if (n < 16) return badFormat(text, ISO_TS);
  const sep = text.charCodeAt(10);
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 116 && sep !== 32) || text.charCodeAt(13) !== 58) {
    return badFormat(text, ISO_TS);
  }
  const y = d4(text, 0);
  const mo = d2(text, 5);
  const d = d2(text, 8);
  const h = d2(text, 11);
  const mi = d2(text, 14);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return badFormat(text, ISO_TS);
  let i = 16;
  let s = 0;
  scratch.frac6 = '000000';
  if (i < n && text.charCodeAt(i) === 58) {
    s = d2(text, 17);
    if (s < 0) return badFormat(text, ISO_TS);
    // a fraction only after seconds
    const f = readFraction(text, 19);
    if (typeof f !== 'number') return f;
    i = f;
  }
  const precise = scratch.frac6 !== '';
  scratch.hasOffset = false;
  scratch.offsetMin = 0;
  if (i < n) {
    const c = text.charCodeAt(i);
    if ((c === 90 || c === 122) && i + 1 === n) {
      scratch.hasOffset = true;
    } else if (c === 43 || c === 45) {
      const oh = d2(text, i + 1);
      let om = 0;
      let end = i + 3;
      if (end < n) {
        if (text.charCodeAt(end) === 58) end++;
        om = d2(text, end);
        end += 2;
      }
      if (oh < 0 || om < 0 || end !== n || oh > 18 || om > 59) return badFormat(text, ISO_TS);
      scratch.hasOffset = true;
      scratch.offsetMin = (c === 45 ? -1 : 1) * (oh * 60 + om);
    } else return badFormat(text, ISO_TS);
  }
  if (!dateOk(y, mo, d) || !timeOk(h, mi, s)) return impossible(text);
  if (!precise) return tooPrecise(text);
  scratch.y = y;
  scratch.mo = mo;
  scratch.d = d;
  scratch.h = h;
  scratch.mi = mi;
  scratch.s = s;
  return null;
}

const FIX_TS = 'YYYYMMDD-HH:MM:SS[.sss[sss[sss]]]';

/** Reads a FIX UTCTimestamp into scratch (offset 0). */
export function readFixTimestamp(text: string): CheckFailure | null {
  const n = text.length;
  if (n < 17 || text.charCodeAt(8) !== 45 || text.charCodeAt(11) !== 58 || text.charCodeAt(14) !== 58) return badFormat(text, FIX_TS);
  const y = d4(text, 0);
  const mo = d2(text, 4);
  const d = d2(text, 6);
  const h = d2(text, 9);
  const mi = d2(text, 12);
  const s = d2(text, 15);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0) return badFormat(text, FIX_TS);
  const f = readFraction(text, 17);
  if (typeof f !== 'number') return f;
  const fracLen = f === 17 ? 0 : f - 18;
  if (f !== n || (fracLen !== 0 && fracLen !== 3 && fracLen !== 6 && fracLen !== 9)) return badFormat(text, FIX_TS);
  if (!dateOk(y, mo, d) || !timeOk(h, mi, s)) return impossible(text);
  if (scratch.frac6 === '') return tooPrecise(text);
  scratch.y = y;
  scratch.mo = mo;
  scratch.d = d;
  scratch.h = h;
  scratch.mi = mi;
  scratch.s = s;
  scratch.hasOffset = true;
  scratch.offsetMin = 0;
  return null;
}

const shiftDate = new Date(0);

/** Moves scratch from its offset to UTC (whole minutes, so the fraction is unchanged). */
export function shiftToUtc(text: string): CheckFailure | null {
  if (scratch.offsetMin === 0) return null;
  shiftDate.setTime(0);
  shiftDate.setUTCFullYear(scratch.y, scratch.mo - 1, scratch.d);
  shiftDate.setUTCHours(scratch.h, scratch.mi - scratch.offsetMin, scratch.s, 0);
  const y = shiftDate.getUTCFullYear();
  if (y < 1 || y > 9999) return new CheckFailure('format_invalid', `${quoteValue(text)} is outside years 0001–9999 in UTC`);
  scratch.y = y;
  scratch.mo = shiftDate.getUTCMonth() + 1;
  scratch.d = shiftDate.getUTCDate();
  scratch.h = shiftDate.getUTCHours();
  scratch.mi = shiftDate.getUTCMinutes();
  scratch.offsetMin = 0;
  return null;
}
