import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseConfirmationsWith, type ReadingStats } from '../../lib/parsers/confirmations/parse-confirmations';
import { MAX_PLAIN_RECORD_BYTES, PlainRecords } from '../../lib/parsers/confirmations/plain-records';
import { chunksOf } from './parse-all';

// Records of plain and well-quoted fields are split by plain-records.ts, the rest by csv-parse. Whatever the input,
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

/** A field's bytes: unquoted, quoted (delimiters, doubled quotes, line breaks, any bytes inside), or broken. */
const fieldOf = (delimiter: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.array(piece.filter((b) => !/[\r\n]/.test(b.toString('latin1'))), { maxLength: 4 }).map((ps) => Buffer.concat(ps)) },
    {
      weight: 6,
      arbitrary: fc
        .array(fc.oneof({ weight: 6, arbitrary: piece }, { weight: 1, arbitrary: fc.constant(enc('""')) }, { weight: 1, arbitrary: fc.constant(enc(delimiter)) }), { maxLength: 5 })
        .map((ps) => Buffer.concat([enc('"'), ...ps, enc('"')])),
    },
    { weight: 1, arbitrary: quotePiece },
  );
const recordEnd = fc.constantFrom(enc('\n'), enc('\r\n'), enc('\r'), enc('\n\n'), Buffer.alloc(0));

describe('confirmations_csv: plain and well-quoted records split without csv-parse', () => {
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

  it('gives what csv-parse gives when quotes appear anywhere: csv-parse reads the records the plain splitting cannot', async () => {
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

  it('gives what csv-parse gives on records of quoted fields, well quoted or not, and any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(',', ';', '\t').chain((delimiter) =>
          fc.record({
            bom: fc.boolean(),
            delimiter: fc.constant(delimiter),
            body: fc.array(
              fc.tuple(fc.array(fieldOf(delimiter), { minLength: 1, maxLength: 5 }), recordEnd).map(([fields, end]) =>
                Buffer.concat([...fields.flatMap((f, k) => (k === 0 ? [f] : [enc(delimiter), f])), end]),
              ),
              { maxLength: 12 },
            ),
            chunk: fc.integer({ min: 1, max: 40 }),
          }),
        ),
        async ({ chunk, ...f }) => expectSameAsCsvParse(file(f), chunk),
      ),
      { numRuns: 600 },
    );
  });

  it('a file whose every field is quoted is split without csv-parse, with what csv-parse gives', async () => {
    const bytes = enc('"exec_id","symbol","qty"\r\n"E1","A,B","1"\r\n"E""2","","2.5"\r\n"E3","東😀",""');
    for (const chunk of [1, 2, 3, 5, 64]) await expectSameAsCsvParse(bytes, chunk);
    const rows = (await collectAll(bytes, 7, true)) as { byOutput: Record<string, Record<string, unknown>[]> };
    expect(rows.byOutput.confirmations.map((r) => [r.exec_id, r.symbol, r.qty])).toEqual([['E1', 'A,B', '1'], ['E"2', '', '2.5'], ['E3', '東😀', '']]);
    // The plain splitting read all of it: nothing was handed to csv-parse.
    const cells: string[][] = [];
    const plain = new PlainRecords(0, 0x2c, 0, (c) => cells.push(c));
    expect(plain.push(bytes)).toBeNull();
    expect(plain.end()).toBeNull();
    expect(cells).toEqual([['exec_id', 'symbol', 'qty'], ['E1', 'A,B', '1'], ['E"2', '', '2.5'], ['E3', '東😀', '']]);
    // A BOM before a quoted header, and a quoted field over two lines, stay with the plain splitting.
    const more: string[][] = [];
    const withBom = new PlainRecords(0, 0x3b, 3, (c) => more.push(c));
    expect(withBom.push(Buffer.concat([BOM, enc('"exec_id";"text"\n"E1";"two\r\nlines"\n')]))).toBeNull();
    expect(more).toEqual([['exec_id', 'text'], ['E1', 'two\r\nlines']]);
    // A stray quote hands its record over, at its first byte.
    const spoiled = enc('"E1","B"\n"E4"x,"B"\n');
    const handed = new PlainRecords(100, 0x2c, 0, () => undefined).push(spoiled);
    expect(handed).toEqual({ from: 109, rest: spoiled.subarray(9) });
  });

  it('reads only the badly quoted records with csv-parse, and the records after each the plain way again', async () => {
    const good = (i: number) => `E${i},"S ${i}",${i}.5\r\n`;
    const records = [...Array.from({ length: 300 }, (_, i) => good(i)), 'E300,a"b,1\r\n', ...Array.from({ length: 300 }, (_, i) => good(301 + i)),
      '"E601"x,S,2\r\n', '"E602","S\r\nover two lines",3\r\n', 'E603,S,"4"'];
    const bytes = enc(`exec_id,symbol,qty\r\n${records.join('')}`);
    for (const chunk of [7, 64, 4096]) {
      await expectSameAsCsvParse(bytes, chunk);
      const stats: ReadingStats = { csvParseRecords: 0 };
      const gen = parseConfirmationsWith(chunksOf(bytes, chunk), { batchSize: 100 }, { plainRecords: true, stats });
      const got: Record<string, unknown[]> = {};
      for (let r = await gen.next(); !r.done; r = await gen.next()) (got[r.value.output] ??= []).push(...r.value.rows);
      expect(got.confirmations).toHaveLength(602);
      expect((got.confirmations_parse_errors ?? []).map((e) => (e as { code: string }).code)).toEqual(['csv.bad_quoting', 'csv.bad_quoting']);
      expect(stats.csvParseRecords).toBe(2);
    }
    // The reference reading: csv-parse for every record.
    const all: ReadingStats = { csvParseRecords: 0 };
    const gen = parseConfirmationsWith(chunksOf(bytes, 4096), {}, { plainRecords: false, stats: all });
    for (let r = await gen.next(); !r.done; r = await gen.next());
    expect(all.csvParseRecords).toBe(605); // the header and 604 records
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
