import { CheckFailure, quoteValue } from '../violation';

// Boolean spellings, case-insensitive: true/false, t/f, 1/0, yes/no, y/n. Nothing else
// (not "on"/"off", not " true") — a documented, closed set.

export const BOOLEAN_SPELLINGS: Readonly<Record<string, boolean>> = Object.freeze({
  true: true,
  t: true,
  '1': true,
  yes: true,
  y: true,
  false: false,
  f: false,
  '0': false,
  no: false,
  n: false,
});

const SPELLINGS = new Map(Object.entries(BOOLEAN_SPELLINGS));

export function checkBoolean(text: string): boolean | CheckFailure {
  if (text.length <= 5) {
    const v = SPELLINGS.get(text.toLowerCase());
    if (v !== undefined) return v;
  }
  return new CheckFailure('type_mismatch', `${quoteValue(text)} is not a boolean (true/false, t/f, 1/0, yes/no, y/n)`);
}
