import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfirmationsWith } from '../../lib/parsers/confirmations/parse-confirmations';
import { MAX_PLAIN_RECORD_BYTES } from '../../lib/parsers/confirmations/plain-records';
import { chunksOf } from './parse-all';

// Quote-free records are split by plain-records.ts, the rest by csv-parse. Whatever the input,
// the rows, parse errors and summary must be exactly those of csv-parse reading every record:
// both ways are run on the same bytes, cut into the same chunks, and compared whole.

/** Rows per output in order, and the summary (batch boundaries depend on when records complete). */
async function collectAll(bytes: Uint8Array, chunk: number, plainRecords: boolean): Promise<unknown> {
  const byOutput: Record<string, unknown[]> = {};
  const gen = parseConfirmationsWith(chunksOf(bytes, chunk), { batchSize: 3 }, { plainRecords });
  for (;;) {
    const next = await gen.next();
    if (next.done) return { byOutput, summary: next.value };
    (byOutput[next.value.output] ??= []).push(...next.value.rows);
  }
}

async function expectSameAsCsvParse(bytes: Uint8Array, chunk: number): Promise<void> {
  expect(await collectAll(bytes, chunk, true)).toEqual(await collectAll(bytes, chunk, false));
}

const enc = (s: string) => Buffer.from(s, 'utf8');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Pieces of a body: text, delimiters, every line ending, quotes, non-ASCII and invalid UTF-8. */
const piece = fc.constantFrom<Buffer>(
  enc('a'), enc('E1'), enc('100.5'), enc(' '), enc(','), enc(','), enc(','), enc(';'), enc('\t'),
  enc('\n'), enc('\n'), enc('\r\n'), enc('\r'), enc('é'), enc('東'), enc('😀'),
  Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), BOM,
);
const quotePiece = fc.constantFrom<Buffer>(enc('"'), enc('""'), enc('"x,y"'), enc('"a\nb"'));

function file(opts: { bom: boolean; delimiter: string; body: Buffer[] }): Buffer {
  const header = ['exec_id', 'symbol', 'quantity', 'price'].join(opts.delimiter);
  return Buffer.concat([opts.bom ? BOM : Buffer.alloc(0), enc(`${header}\n`), ...opts.body]);
}

describe('confirmations_csv: quote-free records split without csv-parse', () => {
  it('gives what csv-parse gives on quote-free input, any line endings, bytes and chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          bom: fc.boolean(),
          delimiter: fc.constantFrom(',', ';', '\t'),
          body: fc.array(piece, { maxLength: 60 }),
          chunk: fc.integer({ min: 1, max: 40 }),
        }),
        async ({ chunk, ...f }) => expectSameAsCsvParse(file(f), chunk),
      ),
      { numRuns: 400 },
    );
  });

  it('gives what csv-parse gives when quotes appear anywhere: csv-parse takes over from that record', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          bom: fc.boolean(),
          delimiter: fc.constantFrom(',', ';'),
          body: fc.array(fc.oneof({ weight: 12, arbitrary: piece }, { weight: 1, arbitrary: quotePiece }), { maxLength: 80 }),
          chunk: fc.integer({ min: 1, max: 40 }),
        }),
        async ({ chunk, ...f }) => expectSameAsCsvParse(file(f), chunk),
      ),
      { numRuns: 400 },
    );
  });

  it('blank lines, a lone CR and a CRLF cut between chunks, no final line ending', async () => {
    const bytes = enc('exec_id,qty\r\n\r\nE1,1\rE2,2\r\n\nE3,3');
    for (const chunk of [1, 2, 3, 5, 7, 64]) await expectSameAsCsvParse(bytes, chunk);
  });

  it('a BOM before blank lines and the header, and one inside the data', async () => {
    const bytes = Buffer.concat([BOM, enc('\n\nexec_id,qty\n'), BOM, enc('E1,1\nE2,'), BOM, enc('\n')]);
    for (const chunk of [1, 2, 4, 64]) await expectSameAsCsvParse(bytes, chunk);
    // csv-parse takes over at a record that starts with a BOM: it is text there, not a BOM to drop.
    const handedOver = Buffer.concat([enc('exec_id,qty\nE1,1\n'), BOM, enc('"E2",2\nE3,3\n')]);
    for (const chunk of [1, 3, 64]) await expectSameAsCsvParse(handedOver, chunk);
  });

  it('hands a quote-free record longer than the plain limit to csv-parse', async () => {
    const long = 'x'.repeat(MAX_PLAIN_RECORD_BYTES + 10);
    const bytes = enc(`exec_id,qty\nE1,1\nE2,${long}\nE3,3\n`);
    await expectSameAsCsvParse(bytes, 1 << 16);
  });

  it('an input that is only a BOM, or a BOM and line endings: what csv-parse makes of them', async () => {
    for (const tail of ['', '\n', '\r', '\r\n', '\n\n', ' ']) {
      for (const chunk of [1, 2, 64]) await expectSameAsCsvParse(Buffer.concat([BOM, enc(tail)]), chunk);
    }
    await expectSameAsCsvParse(Buffer.alloc(0), 4);
  });

  it('reads a UTF-16 file as csv-parse did: refused, nothing split', async () => {
    await expectSameAsCsvParse(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]), 4);
  });
});
