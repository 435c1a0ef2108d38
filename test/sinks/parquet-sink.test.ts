// Parquet sink round trips through a real in-memory DuckDB and real files in a temp dir:
// typed columns exactly as declared, values identical (decimals and instants exact), NULL vs
// empty text, key/value metadata, and no file left behind on abort or a failed cast.
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createParquetSink,
  readParquetColumns,
  readParquetKvMetadata,
  readParquetRowsAsText,
  type SinkColumn,
  withConstants,
} from '../../db/parquet';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const COLUMNS: SinkColumn[] = [
  { name: 'id', duckdbType: 'BIGINT' },
  { name: 'price20', duckdbType: 'DECIMAL(20,6)' },
  { name: 'price24', duckdbType: 'DECIMAL(24,10)' },
  { name: 'price38', duckdbType: 'DECIMAL(38,10)' },
  { name: 'qty18', duckdbType: 'DECIMAL(18,4)' },
  { name: 'at', duckdbType: 'TIMESTAMPTZ' },
  { name: 'naive', duckdbType: 'TIMESTAMP' },
  { name: 'day', duckdbType: 'DATE' },
  { name: 'flag', duckdbType: 'BOOLEAN' },
  { name: 'ratio', duckdbType: 'DOUBLE' },
  { name: 'text', duckdbType: 'VARCHAR' },
];

// Canonical text as lib/pipeline's validator produces it (scale digits always written).
const ROWS: Record<string, unknown>[] = [
  {
    id: '1', price20: '12345678901234.123456', price24: '12345678901234.1234567890', price38: '9999999999999999999999999999.9999999999',
    qty18: '-0.5000', at: '2024-01-02 03:04:05.123456+00', naive: '2024-01-02 03:04:05.000001', day: '2024-02-29',
    flag: true, ratio: '1e+21', text: 'plain',
  },
  {
    id: '9223372036854775807', price20: '-0.000001', price24: '-12345678.0000000001', price38: '-1.0000000000',
    qty18: '99999999999999.9999', at: '1970-01-01 00:00:00.000000+00', naive: '1999-12-31 23:59:59.999999', day: '1900-01-01',
    flag: false, ratio: '-0.1', text: 'unit\u001fsep record\u001esep "quoted", comma\nnew line\r\nCRLF é漢字',
  },
  {
    id: '-9223372036854775808', price20: null, price24: '+7.5000000000', price38: null, qty18: null, at: null, naive: null,
    day: null, flag: null, ratio: null, text: '',
  },
  { id: 4, price20: '0.000000', price24: '99999999999999.9999999999', text: null },
];

describe('createParquetSink', () => {
  it('writes the declared types and reads back identical values, metadata included', async () => {
    const file = path.join(dir, 'typed', 'valid.parquet');
    const sink = await createParquetSink({
      filePath: file,
      columns: COLUMNS,
      metadata: { job_id: 'job-1', contract_hash: 'c'.repeat(64), source_hash: 'ab'.repeat(32) },
    });
    await sink.write(ROWS.slice(0, 2));
    await sink.write([]);
    await sink.write(ROWS.slice(2));
    expect(sink.rows).toBe(4);
    const result = await sink.finish();
    expect(result).toEqual({ filePath: file, rows: 4 });
    expect(await readdir(path.dirname(file))).toEqual(['valid.parquet']);

    const types = Object.fromEntries((await readParquetColumns(file)).map((c) => [c.name, c.duckdbType]));
    expect(types).toEqual({
      id: 'BIGINT', price20: 'DECIMAL(20,6)', price24: 'DECIMAL(24,10)', price38: 'DECIMAL(38,10)', qty18: 'DECIMAL(18,4)',
      at: 'TIMESTAMP WITH TIME ZONE', naive: 'TIMESTAMP', day: 'DATE', flag: 'BOOLEAN', ratio: 'DOUBLE', text: 'VARCHAR',
    });

    const back = await readParquetRowsAsText(file);
    expect(back).toHaveLength(4);
    expect(back[0]).toMatchObject({
      id: '1', price20: '12345678901234.123456', price24: '12345678901234.1234567890', price38: '9999999999999999999999999999.9999999999',
      qty18: '-0.5000', naive: '2024-01-02 03:04:05.000001', day: '2024-02-29', flag: 'true', ratio: '1e+21', text: 'plain',
    });
    expect(back[1]).toMatchObject({
      id: '9223372036854775807', price20: '-0.000001', price24: '-12345678.0000000001', price38: '-1.0000000000',
      qty18: '99999999999999.9999', day: '1900-01-01', flag: 'false', ratio: '-0.1', text: ROWS[1].text,
    });
    expect(back[2]).toMatchObject({ id: '-9223372036854775808', price20: null, price24: '7.5000000000', at: null, flag: null, text: '' });
    expect(back[3]).toMatchObject({ id: '4', price20: '0.000000', price24: '99999999999999.9999999999', text: null, day: null });
  });

  it('keeps TIMESTAMPTZ instants exact to the microsecond', async () => {
    const file = path.join(dir, 'instants.parquet');
    const sink = await createParquetSink({ filePath: file, columns: [{ name: 'at', duckdbType: 'TIMESTAMPTZ' }] });
    await sink.write([
      { at: '2024-01-02 03:04:05.123456+00' },
      { at: '2024-03-10 07:30:00.000001+00' },
      { at: '1969-12-31 23:59:59.999999+00' },
    ]);
    await sink.finish();
    // Epoch microseconds do not depend on the session time zone.
    const { withParquetConnection } = await import('../../db/parquet/parquet-engine');
    const micros = await withParquetConnection(async (con) => {
      const r = await con.runAndReadAll(`SELECT CAST(epoch_us("at") AS VARCHAR) AS us FROM read_parquet('${file}')`);
      return (r.getRowObjectsJson() as { us: string }[]).map((x) => x.us);
    });
    expect(micros).toEqual(['1704164645123456', '1710055800000001', '-1']);
  });

  it('writes a schema-only file when no row came', async () => {
    const file = path.join(dir, 'empty.parquet');
    const sink = await createParquetSink({ filePath: file, columns: COLUMNS.slice(0, 3), metadata: { job_id: 'j' } });
    await sink.finish();
    expect((await readParquetColumns(file)).map((c) => c.duckdbType)).toEqual(['BIGINT', 'DECIMAL(20,6)', 'DECIMAL(24,10)']);
    expect(await readParquetRowsAsText(file)).toEqual([]);
    expect(await readParquetKvMetadata(file)).toEqual({ job_id: 'j' });
  });

  it('records key/value metadata with quotes intact', async () => {
    const file = path.join(dir, 'meta.parquet');
    const sink = await createParquetSink({
      filePath: file,
      columns: [{ name: 'x', duckdbType: 'VARCHAR' }],
      metadata: { job_id: "it's", contract_hash: 'h', source_hash: 's' },
    });
    await sink.write([{ x: 'a' }]);
    await sink.finish();
    expect(await readParquetKvMetadata(file)).toEqual({ job_id: "it's", contract_hash: 'h', source_hash: 's' });
  });

  it('leaves nothing behind when aborted', async () => {
    const sub = path.join(dir, 'aborted');
    const sink = await createParquetSink({ filePath: path.join(sub, 'valid.parquet'), columns: COLUMNS });
    await sink.write(ROWS);
    await sink.abort();
    await sink.abort();
    expect(await readdir(sub)).toEqual([]);
    await expect(sink.write(ROWS)).rejects.toThrow(/sink.closed/);
  });

  it('fails loudly on a value that does not cast, and writes no target file', async () => {
    const sub = path.join(dir, 'badcast');
    const sink = await createParquetSink({ filePath: path.join(sub, 'valid.parquet'), columns: [{ name: 'n', duckdbType: 'BIGINT' }] });
    await sink.write([{ n: '1' }, { n: 'not a number' }]);
    await expect(sink.finish()).rejects.toThrow();
    expect(existsSync(path.join(sub, 'valid.parquet'))).toBe(false);
    expect(await readdir(sub)).toEqual([]);
  });

  it('refuses duplicate columns and bad metadata keys', async () => {
    await expect(
      createParquetSink({ filePath: path.join(dir, 'dup.parquet'), columns: [{ name: 'a', duckdbType: 'VARCHAR' }, { name: 'a', duckdbType: 'BIGINT' }] }),
    ).rejects.toThrow(/sink.duplicate_column/);
    await expect(
      createParquetSink({ filePath: path.join(dir, 'meta2.parquet'), columns: [{ name: 'a', duckdbType: 'VARCHAR' }], metadata: { 'bad key': 'x' } }),
    ).rejects.toThrow(/sink.bad_metadata_key/);
  });

  it('writes constant columns once, typed, whatever the rows carry', async () => {
    const file = path.join(dir, 'constants.parquet');
    const columns = withConstants(
      [{ name: 'n', duckdbType: 'BIGINT' }, { name: 'job', duckdbType: 'VARCHAR' }, { name: 'at', duckdbType: 'TIMESTAMPTZ' }, { name: 'none', duckdbType: 'DECIMAL(24,10)' }],
      { job: "job-'1'", at: '2024-01-02 03:04:05.123456+00', none: null },
    );
    const sink = await createParquetSink({ filePath: file, columns });
    await sink.write([{ n: 1, job: 'ignored' }, { n: 2 }]);
    await sink.finish();
    expect((await readParquetColumns(file)).map((c) => c.duckdbType)).toEqual(['BIGINT', 'VARCHAR', 'TIMESTAMP WITH TIME ZONE', 'DECIMAL(24,10)']);
    expect(await readParquetRowsAsText(file)).toEqual([
      { n: '1', job: "job-'1'", at: '2024-01-02 03:04:05.123456+00', none: null },
      { n: '2', job: "job-'1'", at: '2024-01-02 03:04:05.123456+00', none: null },
    ]);
  });

  it('streams many batches into one file in order', async () => {
    const file = path.join(dir, 'many.parquet');
    const sink = await createParquetSink({ filePath: file, columns: [{ name: 'i', duckdbType: 'BIGINT' }, { name: 'p', duckdbType: 'DECIMAL(24,8)' }] });
    const n = 6_000;
    for (let start = 0; start < n; start += 500) {
      const batch = [];
      for (let i = start; i < start + 500; i++) batch.push({ i, p: i % 2 ? `${i}.00000001` : `1234567890123456.${String(i).padStart(8, '0')}` });
      await sink.write(batch);
    }
    await sink.finish();
    const back = await readParquetRowsAsText(file);
    expect(back).toHaveLength(n);
    expect(back.every((r, i) => r.i === String(i))).toBe(true);
    expect(back[5_999].p).toBe('5999.00000001');
    expect(back[4_000].p).toBe('1234567890123456.00004000');
  });
});
