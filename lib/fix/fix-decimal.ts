// FIX Price / Qty / Amt values are kept as their text; this is the lexical check the
// hot path uses instead of building a decimal object (a JS number never holds one).

/** True when text is a FIX float: optional '-', digits with at most one '.', at least one digit. No '+', no exponent. */
export function isFixDecimal(text: string): boolean {
  const n = text.length;
  let i = text.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  let digits = 0;
  let dots = 0;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && dots === 0) dots++;
    else return false;
  }
  return digits > 0;
}

/** True when a FIX decimal's value is zero ("0", "0.000", "-0"). Assumes isFixDecimal(text). */
export function isZeroDecimal(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 49 && c <= 57) return false;
  }
  return true;
}
