// FIX time values, checked by character scans (no Date, no luxon in the per-value path).
// UTCTimestamp: YYYYMMDD-HH:MM:SS with 0, 3, 6, 9 or 12 fractional digits.
// LocalMktDate: YYYYMMDD.

export interface FixTimestamp {
  /** UTC instant, ISO 8601 with exactly 6 fractional digits (digits beyond 6 are cut here: see precision). */
  iso: string;
  /** Fractional digits written in the source: 0, 3, 6, 9 or 12. More than 6 means finer than the instant kept. */
  precision: 0 | 3 | 6 | 9 | 12;
}

function digitsAt(s: string, start: number, count: number): number {
  let n = 0;
  for (let i = start; i < start + count; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function validDate(year: number, month: number, day: number): boolean {
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Parses a FIX UTCTimestamp; null when the text is not one (a leap second :60 is not accepted). */
export function parseFixTimestamp(raw: string): FixTimestamp | null {
  if (typeof raw !== 'string' || raw.length < 17) return null;
  const year = digitsAt(raw, 0, 4);
  const month = digitsAt(raw, 4, 2);
  const day = digitsAt(raw, 6, 2);
  if (raw.charCodeAt(8) !== 45 /* - */ || raw.charCodeAt(11) !== 58 || raw.charCodeAt(14) !== 58) return null;
  const hour = digitsAt(raw, 9, 2);
  const minute = digitsAt(raw, 12, 2);
  const second = digitsAt(raw, 15, 2);
  if (!validDate(year, month, day) || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
    return null;
  }
  let frac = '';
  if (raw.length > 17) {
    if (raw.charCodeAt(17) !== 46 /* . */) return null;
    frac = raw.slice(18);
    if (frac.length !== 3 && frac.length !== 6 && frac.length !== 9 && frac.length !== 12) return null;
    if (digitsAt(frac, 0, frac.length) < 0) return null;
  }
  const micro = (frac + '000000').slice(0, 6);
  const iso = `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}T${raw.slice(9, 17)}.${micro}Z`;
  return { iso, precision: frac.length as FixTimestamp['precision'] };
}

/** Parses a FIX LocalMktDate (YYYYMMDD) into 'YYYY-MM-DD'; null when it is not a valid date. */
export function parseLocalMktDate(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length !== 8) return null;
  const year = digitsAt(raw, 0, 4);
  const month = digitsAt(raw, 4, 2);
  const day = digitsAt(raw, 6, 2);
  if (!validDate(year, month, day)) return null;
  return `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6, 8)}`;
}
