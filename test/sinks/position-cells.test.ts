// The fused writer stages position cells (line_number, message_index, offsets) digit by digit
// instead of building String(n) per row (lib/pipeline/staged-valid-writer.ts). The bytes must be
// exactly positionCell's text, for every kind of value a parser may put there.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { positionCell, putPositionCell } from '../../lib/pipeline/staged-valid-writer';

function written(v: unknown): string {
  const buf = Buffer.alloc(64, 0xff);
  const end = putPositionCell(buf, 3, v);
  expect(buf[2]).toBe(0xff); // nothing before the start
  expect(buf[end]).toBe(0xff); // nothing after the returned end
  return buf.toString('latin1', 3, end);
}

describe('putPositionCell', () => {
  it('writes the same text as positionCell', () => {
    const samples: unknown[] = [0, -0, 1, 9, 10, 99, 100, 12345, 2 ** 31, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 1e21, -1, -123, 1.5, 0.1, '', null, undefined, '007', '42', '-3', ' 5'];
    for (const v of samples) expect(written(v)).toBe(positionCell(v));
  });

  it('agrees with positionCell on arbitrary integers, doubles and numeric text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.nat(), fc.maxSafeNat(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer().map(String)), (v) => {
        expect(written(v)).toBe(positionCell(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what positionCell refuses', () => {
    const buf = Buffer.alloc(64);
    expect(() => putPositionCell(buf, 0, 'abc')).toThrow(/sink.bad_number/);
    expect(() => putPositionCell(buf, 0, Infinity)).toThrow(/sink.bad_number/);
  });
});
