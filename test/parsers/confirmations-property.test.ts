import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { confirmationsParser } from '../../lib/parsers/confirmations';
import { parseBytes } from './parse-all';

// Round trip: any table written as RFC 4180 CSV (any of the three delimiters, any line ending,
// quoting where needed or always, BOM or not, any chunking) reads back cell for cell, and
// every row's span is exactly the bytes of its record.

const cellChars = fc.constantFrom('a', 'Z', '0', '9', '.', '-', ' ', ',', ';', '\t', '"', '\n', '\r', 'é', '東', '😀');
const cell = fc.array(cellChars, { maxLength: 6 }).map((cs) => cs.join(''));

/** A one-column file names no delimiter, so any candidate delimiter in a cell is quoted there. */
function needsQuotes(value: string, delimiter: string, width: number): boolean {
  const special = width === 1 ? /[,;\t]/.test(value) : value.includes(delimiter);
  return value === '' || /["\r\n]/.test(value) || special || /^[ ]|[ ]$/.test(value);
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

describe('confirmations_csv parser: property', () => {
  it('reads back any well-formed table exactly, with exact spans', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((width) =>
          fc.record({
            width: fc.constant(width),
            rows: fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }),
            delimiter: fc.constantFrom(',', ';', '\t'),
            eol: fc.constantFrom('\n', '\r\n'),
            alwaysQuote: fc.boolean(),
            bom: fc.boolean(),
            finalEol: fc.boolean(),
            chunk: fc.integer({ min: 1, max: 64 }),
          }),
        ),
        async ({ width, rows, delimiter, eol, alwaysQuote, bom, finalEol, chunk }) => {
          const header = Array.from({ length: width }, (_, i) => `col_${i}`);
          const encode = (v: string) => (alwaysQuote || needsQuotes(v, delimiter, width) ? quote(v) : v);
          const records = [header.join(delimiter), ...rows.map((r) => r.map(encode).join(delimiter))];
          const text = (bom ? '\ufeff' : '') + records.join(eol) + (finalEol ? eol : '');
          const file = new TextEncoder().encode(text);
          const { byOutput, summary } = await parseBytes(confirmationsParser, file, chunk);
          expect(summary.parseErrors).toEqual({});
          expect(summary.delimiter).toBe(width > 1 ? delimiter : ',');
          const got = byOutput.confirmations ?? [];
          expect(got.map((r) => header.map((h) => r[h]))).toEqual(rows);
          got.forEach((r, i) => {
            const start = r.source_offset as number;
            const span = new TextDecoder().decode(file.subarray(start, start + (r.source_length as number)));
            expect(span).toBe(records[i + 1]);
            expect(r.__cf_row_id).toBe(i + 1);
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 1, max: 16 }), async (bytes, chunk) => {
        const { summary } = await parseBytes(confirmationsParser, bytes, chunk);
        expect(summary.format).toBe('csv');
      }),
      { numRuns: 300 },
    );
  });
});
