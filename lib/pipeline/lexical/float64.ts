import { CheckFailure, quoteValue } from '../violation';

// float64 from text: optional sign, digits with at most one point, optional exponent. No spaces,
// no hex, no NaN/Infinity. The value is a binary double by definition, so JS Number is exact here.

export function checkFloat64(text: string): string | CheckFailure {
  const n = text.length;
  let i = 0;
  let c = text.charCodeAt(0);
  if (c === 45 || c === 43) i = 1;
  let mantissaDigits = 0;
  while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
    i++;
    mantissaDigits++;
  }
  if (i < n && text.charCodeAt(i) === 46) {
    i++;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) {
      i++;
      mantissaDigits++;
    }
  }
  if (mantissaDigits > 0 && i < n && ((c = text.charCodeAt(i)) === 101 || c === 69)) {
    i++;
    if (i < n && ((c = text.charCodeAt(i)) === 45 || c === 43)) i++;
    const expStart = i;
    while (i < n && (c = text.charCodeAt(i)) >= 48 && c <= 57) i++;
    if (i === expStart) return new CheckFailure('type_mismatch', `${quoteValue(text)} is not a number`);
  }
  if (i !== n || mantissaDigits === 0) return new CheckFailure('type_mismatch', `${quoteValue(text)} is not a number`);
  const v = Number(text);
  if (!Number.isFinite(v)) return new CheckFailure('precision_exceeded', `${quoteValue(text)} is outside the float64 range`);
  return String(v);
}
