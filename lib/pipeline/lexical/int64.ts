import { CheckFailure, quoteValue } from '../violation';

// int64 from text: optional sign, digits (leading zeros allowed), nothing else. The range check
// is exact: fewer than 19 significant digits always fit, more never do, and exactly 19 are
// compared as a BigInt. Out of range is precision_exceeded (the value needs more than int64 holds).

const MAX = 9223372036854775807n;
const MIN_ABS = 9223372036854775808n;

export function checkInt64(text: string): string | CheckFailure {
  const n = text.length;
  let i = 0;
  let negative = false;
  const c0 = text.charCodeAt(0);
  if (c0 === 45) {
    negative = true;
    i = 1;
  } else if (c0 === 43) i = 1;
  const digitsStart = i;
  while (i < n && text.charCodeAt(i) === 48) i++;
  const sigStart = i;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  if (i !== n || n === digitsStart) return new CheckFailure('type_mismatch', `${quoteValue(text)} is not an integer`);
  const digits = n - sigStart;
  if (digits === 0) return '0';
  const out = (negative ? '-' : '') + (sigStart === digitsStart ? text.slice(digitsStart) : text.slice(sigStart));
  if (digits < 19) return out;
  if (digits === 19) {
    const abs = BigInt(text.slice(sigStart));
    if (negative ? abs <= MIN_ABS : abs <= MAX) return out;
  }
  return new CheckFailure('precision_exceeded', `${quoteValue(text)} is outside the int64 range`);
}
