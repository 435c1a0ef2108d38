import { CheckFailure, quoteValue } from '../violation';

// Exact decimals from text, by a char scan: optional sign, digits, at most one point, no
// exponent, no spaces. Nothing is rounded and no JS number ever holds the value.
// DECIMAL(p,s) holds at most p-s integer digits (leading zeros do not count) and s fraction
// digits; a value with more is precision_exceeded, also when the extra fraction digits are zeros
// ("1.50" for scale 1), since trimming them would be a silent rewrite of the source text.
// ".5" and "5." are read as 0.5 and 5 (DuckDB reads them so too).

const ZEROS = '0'.repeat(40);

export interface DecimalScan {
  ok: boolean;
  negative: boolean;
  /** significant integer digits (leading zeros stripped) */
  intDigits: number;
  fracDigits: number;
}

function describeBad(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 101 || c === 69) return `${quoteValue(text)} is not a decimal (exponent notation is not accepted)`;
    if (c === 32 || c === 9) return `${quoteValue(text)} is not a decimal (spaces are not accepted)`;
  }
  return `${quoteValue(text)} is not a decimal`;
}

/** Validates and canonicalises a decimal; returns the canonical text or a failure. */
export function checkDecimal(text: string, precision: number, scale: number): string | CheckFailure {
  const n = text.length;
  let i = 0;
  let negative = false;
  let c = text.charCodeAt(0);
  if (c === 45) {
    negative = true;
    i = 1;
  } else if (c === 43) i = 1;
  const intStart = i;
  while (i < n && text.charCodeAt(i) === 48) i++;
  const sigStart = i;
  while (i < n) {
    c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  const intEnd = i;
  let fracStart = i;
  let fracLen = 0;
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    fracStart = i;
    while (i < n) {
      c = text.charCodeAt(i);
      if (c < 48 || c > 57) break;
      i++;
    }
    fracLen = i - fracStart;
  }
  if (i !== n || (intEnd === intStart && fracLen === 0)) return new CheckFailure('type_mismatch', describeBad(text));
  const intDigits = intEnd - sigStart;
  if (fracLen > scale || intDigits > precision - scale) {
    const why =
      fracLen > scale
        ? `${fracLen} fraction digits exceed scale ${scale}`
        : `${intDigits} integer digits exceed ${precision - scale} (precision ${precision}, scale ${scale})`;
    return new CheckFailure('precision_exceeded', `${quoteValue(text)}: ${why} of decimal(${precision},${scale}); values are never rounded`);
  }
  if (negative && intDigits === 0) {
    // -0.00 is 0.00: a canonical text has no negative zero.
    let allZero = true;
    for (let k = fracStart; k < fracStart + fracLen; k++) if (text.charCodeAt(k) !== 48) allZero = false;
    if (allZero) negative = false;
  }
  const intText = intDigits === 0 ? '0' : text.slice(sigStart, intEnd);
  const fracText = scale === 0 ? '' : '.' + text.slice(fracStart, fracStart + fracLen) + ZEROS.slice(0, scale - fracLen);
  return (negative ? '-' : '') + intText + fracText;
}

/**
 * The FIX float (contract format `fix_float`, lib/contracts/decimal-format.ts): the decimal text
 * above without a '+' sign. A leading '+' is `format_invalid` (it is not FIX; storing the unsigned
 * value would rewrite the source silently); everything else is judged by checkDecimal.
 */
export function checkFixFloat(text: string, precision: number, scale: number): string | CheckFailure {
  if (text.charCodeAt(0) === 43) {
    return new CheckFailure('format_invalid', `${quoteValue(text)} is not a FIX float (a FIX float has no '+' sign)`);
  }
  return checkDecimal(text, precision, scale);
}

/** The value check of a decimal(p,s) column for its contract `format` (none, or `fix_float`). */
export function decimalCheck(precision: number, scale: number, format: string | undefined): (text: string) => string | CheckFailure {
  if (format === 'fix_float') return (text) => checkFixFloat(text, precision, scale);
  return (text) => checkDecimal(text, precision, scale);
}

/** Digits of a decimal text (no rewriting), or null when it is not decimal text. For schema inference. */
export function measureDecimal(text: string): { intDigits: number; fracDigits: number } | null {
  const r = checkDecimal(text, 2000, 1000);
  if (typeof r !== 'string') return null;
  const n = text.length;
  let i = text.charCodeAt(0) === 45 || text.charCodeAt(0) === 43 ? 1 : 0;
  while (i < n && text.charCodeAt(i) === 48) i++;
  const dot = text.indexOf('.', i);
  const intDigits = (dot < 0 ? n : dot) - i;
  return { intDigits: Math.max(intDigits, 0), fracDigits: dot < 0 ? 0 : n - dot - 1 };
}
