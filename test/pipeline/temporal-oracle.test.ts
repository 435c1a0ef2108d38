import fc from 'fast-check';
import { DateTime, FixedOffsetZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { compileValueCheck } from '../../lib/pipeline/column-checker';
import { CheckFailure } from '../../lib/pipeline/violation';

// The hand-written readers of the built-in formats against luxon as an oracle, on random
// (including impossible) calendar values and offsets.

const p2 = (n: number) => String(n).padStart(2, '0');
const p4 = (n: number) => String(n).padStart(4, '0');
const parts = fc.record({
  y: fc.integer({ min: 1, max: 9999 }),
  mo: fc.integer({ min: 1, max: 12 }),
  d: fc.integer({ min: 1, max: 31 }),
  h: fc.integer({ min: 0, max: 23 }),
  mi: fc.integer({ min: 0, max: 59 }),
  s: fc.integer({ min: 0, max: 59 }),
  us: fc.integer({ min: 0, max: 999_999 }),
  off: fc.integer({ min: -14 * 60, max: 14 * 60 }),
});

describe('built-in temporal readers agree with luxon', () => {
  const tsz = compileValueCheck({ kind: 'timestamp_tz', tz: 'UTC' }, 'iso8601');
  const isoDate = compileValueCheck('date', 'iso8601');
  const patternDate = compileValueCheck('date', 'yyyy-MM-dd'); // the fast path of this pattern
  const fixDate = compileValueCheck('date', 'yyyyMMdd');

  it('iso8601 timestamp_tz with an offset: same validity, same UTC instant', () => {
    fc.assert(
      fc.property(parts, ({ y, mo, d, h, mi, s, us, off }) => {
        const sign = off < 0 ? '-' : '+';
        const a = Math.abs(off);
        const text = `${p4(y)}-${p2(mo)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(s)}.${String(us).padStart(6, '0')}${sign}${p2(Math.floor(a / 60))}:${p2(a % 60)}`;
        const oracle = DateTime.fromObject({ year: y, month: mo, day: d, hour: h, minute: mi, second: s }, { zone: FixedOffsetZone.instance(off) });
        const r = tsz(text);
        if (!oracle.isValid) return r instanceof CheckFailure && r.type === 'format_invalid';
        const u = oracle.toUTC();
        if (u.year < 1 || u.year > 9999) return r instanceof CheckFailure;
        const expected = `${p4(u.year)}-${p2(u.month)}-${p2(u.day)} ${p2(u.hour)}:${p2(u.minute)}:${p2(u.second)}.${String(us).padStart(6, '0')}+00`;
        return r === expected;
      }),
      { numRuns: 3000 },
    );
  });

  it('dates: iso8601, the yyyy-MM-dd / yyyyMMdd patterns and luxon agree', () => {
    fc.assert(
      fc.property(parts, ({ y, mo, d }) => {
        const iso = `${p4(y)}-${p2(mo)}-${p2(d)}`;
        const luxonIso = DateTime.fromFormat(iso, 'yyyy-MM-dd', { zone: 'UTC' });
        const luxonFix = DateTime.fromFormat(`${p4(y)}${p2(mo)}${p2(d)}`, 'yyyyMMdd', { zone: 'UTC' });
        const expected = luxonIso.isValid ? luxonIso.toISODate() : 'invalid';
        const got = [isoDate(iso), patternDate(iso), fixDate(`${p4(y)}${p2(mo)}${p2(d)}`)].map((r) => (r instanceof CheckFailure ? 'invalid' : r));
        return got.every((g) => g === expected) && (luxonFix.isValid ? luxonFix.toISODate() : 'invalid') === expected;
      }),
      { numRuns: 3000 },
    );
  });

  it('the fast date patterns refuse what luxon refuses on malformed text', () => {
    for (const bad of ['2024-1-02', '24-01-02', '2024/01/02', '2024-01-02 ', '２０２４-01-02', '2024-01-0x']) {
      expect(patternDate(bad)).toBeInstanceOf(CheckFailure);
      expect(DateTime.fromFormat(bad, 'yyyy-MM-dd', { zone: 'UTC' }).isValid).toBe(false);
    }
  });
});
