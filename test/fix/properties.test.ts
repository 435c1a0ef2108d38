import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFixMessages, serializeFixMessage, type FixDelimiterName, type FixField, type ParsedFixMessage } from '../../lib/fix/index';
import { parseAll } from './fix-test-helpers';

// Properties: the parser never throws on arbitrary bytes; serialise → parse round-trips;
// flipping any byte before `10=` of a valid message makes it fail its CheckSum.

const FIX_PIECES = ['8=FIX.4.2', '8=FIX.4.4', '8=FIXT.1.1', '\x01', '|', '^A', '9=', '10=', '35=D', '35=8', '=', '\n', '\r\n', '#', '453=2', '448=', '95=3', '96=', '0', '7', 'ABC', ' ', '\x00', '"', '\\u0001'];

const fixish = fc.array(fc.oneof(fc.constantFrom(...FIX_PIECES), fc.string({ maxLength: 4 })), { maxLength: 60 }).map((parts) => Buffer.from(parts.join(''), 'latin1'));

describe('properties', () => {
  it('never throws on arbitrary bytes, in any chunking, and accounts for every message', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 300 }), fixish), fc.integer({ min: 1, max: 64 }), async (bytes, chunk) => {
        const r = await parseAll(bytes, chunk);
        const whole = await parseAll(bytes);
        expect(r.orders).toEqual(whole.orders);
        expect(r.sessions).toEqual(whole.sessions);
        expect(r.errors).toEqual(whole.errors);
        expect(r.summary.messages).toBeGreaterThanOrEqual(r.orders.length + r.sessions.length);
        for (const row of [...r.orders, ...r.sessions, ...r.errors]) {
          expect(row.source_offset as number).toBeGreaterThanOrEqual(0);
          expect((row.source_offset as number) + (row.source_length as number)).toBeLessThanOrEqual(bytes.length);
        }
        for (const row of [...r.orders, ...r.sessions]) expect(() => JSON.parse(row.fields as string)).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });

  // Tags a generated message may use: not 8/9/10 (framing), not length-prefixed data tags.
  const tag = fc.integer({ min: 1, max: 9999 }).filter((t) => ![8, 9, 10, 90, 93, 95, 212, 348, 350, 352, 354, 356, 358, 360, 362, 364, 445, 618, 621].includes(t));
  const delimiter = fc.constantFrom<FixDelimiterName>('SOH', '|', '^A', '\\u0001', '\\x01', ' | ');
  // Values never hold their delimiter (no '|', '^', '\\'), nor control bytes.
  const value = fc.string({ maxLength: 12 }).map((s) => s.replace(/[\x00-\x1f\x7f-\uffff|^\\]/g, 'x'));
  const message = delimiter.chain((d) =>
    fc.record({
      d: fc.constant(d),
      begin: fc.constantFrom('FIX.4.0', 'FIX.4.2', 'FIX.4.4', 'FIXT.1.1'),
      msgType: fc.constantFrom('D', '8', '0', 'A', 'AE', 'F'),
      fields: fc.array(fc.tuple(tag, value), { maxLength: 20 }),
      prefix: fc.constantFrom('', '2024-01-02 03:04:05 ', '<- ', '\x00\x00', '{"m":"'),
    }),
  );

  it('serialise → parse round-trips fields, flags and span', () => {
    fc.assert(
      fc.property(message, ({ d, begin, msgType, fields, prefix }) => {
        const all: FixField[] = [[35, msgType], ...fields];
        const text = serializeFixMessage(begin, all, { delimiter: d });
        const out = parseFixMessages(`${prefix}${text}\n`);
        expect(out).toHaveLength(1);
        const m = out[0] as ParsedFixMessage;
        expect(m.kind).toBe('message');
        expect(m.fields.slice(2, -1)).toEqual(all);
        expect(m.fields[0]).toEqual([8, begin]);
        expect(m).toMatchObject({ bodyLengthOk: true, checksumOk: true, checksumPresent: true, offset: prefix.length, length: text.length });
      }),
      { numRuns: 300 },
    );
  });

  it('flipping any byte before 10= makes checksum_ok false (or the bytes stop being a valid message)', () => {
    fc.assert(
      fc.property(message, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ begin, msgType, fields }, at, delta) => {
        const text = serializeFixMessage(begin, [[35, msgType], ...fields]);
        const end = text.lastIndexOf('10=');
        const i = at % end;
        const bytes = Buffer.from(text, 'latin1');
        const flipped = (bytes[i] + delta) & 0xff;
        // A line break standing where a delimiter was is the documented framing of a message
        // broken over several lines: it reads as that delimiter, so the CheckSum (computed over
        // SOH) still holds. That flip is not a corruption this property is about.
        fc.pre(!(bytes[i] === 0x01 && (flipped === 0x0a || flipped === 0x0d)));
        bytes[i] = flipped;
        const out = parseFixMessages(bytes);
        const passing = out.filter((m) => m.kind === 'message' && m.checksumOk);
        expect(passing).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
