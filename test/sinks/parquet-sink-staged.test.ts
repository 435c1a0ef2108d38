// ParquetSink.writeStaged: lines already in staged text (the pipeline's fused path) land in the
// Parquet file exactly as write() would put the same rows, in order when both are mixed.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParquetSink, readParquetRowsAsText, type SinkColumn } from '../../db/parquet';
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
    await b.writeStaged(staged([ROWS[1], ROWS[2]]), 2);
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
    await expect(s.writeStaged(Buffer.from('1\u001f\u001fx'), 1)).rejects.toThrow(/sink.bad_staged_text/);
    await s.abort();
  });
});
