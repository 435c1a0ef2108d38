// ParquetSink.writeStaged: lines already in staged text (the pipeline's fused path) land in the
// Parquet file exactly as write() would put the same rows, in order when both are mixed; the
// reader's buffers and the row groups follow the staged bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParquetSink, readParquetRowsAsText, type SinkColumn } from '../../db/parquet';
import { rowGroupRowsFor } from '../../db/parquet/parquet-sink';
import { withParquetConnection } from '../../db/parquet/parquet-engine';
import { compileRowEncoder } from '../../db/parquet/staging-text-format';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-staged-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COLUMNS: SinkColumn[] = [
  { name: 'id', duckdbType: 'BIGINT' },
  { name: 'px', duckdbType: 'DECIMAL(24,10)' },
  { name: 'note', duckdbType: 'VARCHAR' },
  { name: 'job', duckdbType: 'VARCHAR', constant: 'job-1' },
];
const ROWS: Record<string, unknown>[] = [
  { id: '1', px: '411.2500000000', note: 'plain' },
  { id: '2', px: '-0.5000000000', note: 'é漢字 \u001f \u001e "q"\nline' },
  { id: '3', px: null, note: '' },
  { id: '4', px: '12345678901234.1234567890', note: null },
];

describe('ParquetSink.writeStaged', () => {
  it('writes staged lines like write(), in call order when mixed with write()', async () => {
    const encode = compileRowEncoder(COLUMNS);
    const staged = (rows: Record<string, unknown>[]) => Buffer.from(rows.map((r) => encode(r) + '\n').join(''), 'utf8');
    const a = await createParquetSink({ filePath: path.join(dir, 'a.parquet'), columns: COLUMNS });
    await a.write(ROWS);
    await a.finish();
    const b = await createParquetSink({ filePath: path.join(dir, 'b.parquet'), columns: COLUMNS });
    await b.write([ROWS[0]]);
    const two = staged([ROWS[1], ROWS[2]]);
    await b.writeStaged(two, 2, two.indexOf(0x0a) + 1);
    await b.write([ROWS[3]]);
    expect(b.rows).toBe(4);
    expect((await b.finish()).rows).toBe(4);
    const back = await readParquetRowsAsText(path.join(dir, 'b.parquet'));
    expect(back).toEqual(await readParquetRowsAsText(path.join(dir, 'a.parquet')));
    expect(back.map((r) => r.note)).toEqual(['plain', ROWS[1].note, '', null]);
    expect(back.map((r) => r.job)).toEqual(['job-1', 'job-1', 'job-1', 'job-1']);
  });

  it('refuses bytes that do not end a line', async () => {
    const s = await createParquetSink({ filePath: path.join(dir, 'c.parquet'), columns: COLUMNS });
    await expect(s.writeStaged(Buffer.from('1\u001f\u001fx'), 1, 5)).rejects.toThrow(/sink.bad_staged_text/);
    await expect(s.writeStaged(Buffer.from('1\u001f\u001fx\n'), 1, 0)).rejects.toThrow(/sink.bad_staged_text/);
    await s.abort();
  });

  // The reader's buffers follow the longest staged line (readBufferSizes): a line far beyond the
  // 16 MiB floor, staged through either path, must come back whole.
  it('reads back a line longer than the smallest read buffer, from write() and from writeStaged()', async () => {
    const long = 'é'.repeat(12_000_000) + '\u001e' + 'x'.repeat(3_000_000); // ~27 MB of UTF-8, quoted
    const encode = compileRowEncoder(COLUMNS);
    const a = await createParquetSink({ filePath: path.join(dir, 'long-a.parquet'), columns: COLUMNS });
    await a.write([ROWS[0], { id: '9', px: '1.5', note: long }, ROWS[3]]);
    await a.finish();
    const b = await createParquetSink({ filePath: path.join(dir, 'long-b.parquet'), columns: COLUMNS });
    const line = Buffer.from(encode({ id: '9', px: '1.5', note: long }) + '\n', 'utf8');
    expect(line.length).toBeGreaterThan(24 << 20);
    await b.write([ROWS[0]]);
    await b.writeStaged(line, 1, line.length);
    await b.write([ROWS[3]]);
    await b.finish();
    for (const f of ['long-a.parquet', 'long-b.parquet']) {
      const back = await readParquetRowsAsText(path.join(dir, f));
      expect(back.map((r) => r.id)).toEqual(['1', '9', '4']);
      expect(back[1].note === long).toBe(true);
    }
  });
});

describe('row groups bounded by staged bytes', () => {
  it('gives DuckDB\'s 122,880 rows to short rows, fewer (whole 2,048-row vectors) to long ones, at least one vector', () => {
    expect(rowGroupRowsFor(0, 0)).toBe(122_880);
    expect(rowGroupRowsFor(100 * 1_000_000, 1_000_000)).toBe(122_880); // 100 B a row
    const rows = rowGroupRowsFor(2_000 * 5_000_000, 5_000_000); // 2 KB a row
    expect(rows % 2048).toBe(0);
    expect(rows * 2_000).toBeLessThanOrEqual(112 << 20);
    expect((rows + 2048) * 2_000).toBeGreaterThan(112 << 20);
    expect(rowGroupRowsFor(5_000_000 * 1000, 1000)).toBe(2048); // 5 MB a row
  });

  it('gives a FIX order event (about 710 staged bytes, up to 955) a whole table row group: promotion writes those in parallel', () => {
    expect(rowGroupRowsFor(710 * 5_000_000, 5_000_000)).toBe(122_880);
    expect(rowGroupRowsFor(955 * 5_000_000, 5_000_000)).toBe(122_880);
    expect(rowGroupRowsFor(1_000 * 5_000_000, 5_000_000)).toBeLessThan(122_880);
  });

  it('writes the file with row groups of that size', async () => {
    const cols: SinkColumn[] = [{ name: 'id', duckdbType: 'BIGINT' }, { name: 'note', duckdbType: 'VARCHAR' }];
    const s = await createParquetSink({ filePath: path.join(dir, 'groups.parquet'), columns: cols });
    const rows = Array.from({ length: 12_000 }, (_, i) => ({ id: String(i), note: 'n'.repeat(10_000) }));
    await s.write(rows);
    await s.finish();
    const expected = rowGroupRowsFor(12_000 * (10_000 + String(11_999).length + 2), 12_000);
    expect(expected).toBeLessThan(12_000);
    const sizes = await withParquetConnection(async (con) =>
      (await con.runAndReadAll(`SELECT DISTINCT row_group_id, row_group_num_rows::INTEGER AS n FROM parquet_metadata('${path.join(dir, 'groups.parquet')}') ORDER BY 1`)).getRowObjectsJS().map((r) => Number(r.n)),
    );
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(12_000);
    expect(sizes[0]).toBe(expected);
  });
});
