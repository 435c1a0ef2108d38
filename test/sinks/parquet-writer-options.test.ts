// Parquet writer options of the sinks (db/parquet/parquet-sink.ts): dictionary encoding is off
// by default (cheaper COPY, same values) and on when a caller asks for it.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParquetSink, readParquetRowsAsText } from '../../db/parquet';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-options-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dictionary encoding', () => {
  async function encodings(dictionary: boolean | undefined): Promise<string[]> {
    const file = path.join(dir, `dict-${String(dictionary)}.parquet`);
    const sink = await createParquetSink({ filePath: file, columns: [{ name: 's', duckdbType: 'VARCHAR' }, { name: 'd', duckdbType: 'DECIMAL(24,10)' }], dictionary });
    await sink.write(Array.from({ length: 500 }, (_, i) => ({ s: i % 2 === 0 ? 'MSFT' : 'AAPL', d: i % 2 === 0 ? '411.2500000000' : '-1.0000000000' })));
    await sink.finish();
    const { withParquetConnection } = await import('../../db/parquet/parquet-engine');
    const rows = await withParquetConnection(async (con) => {
      const r = await con.runAndReadAll(`SELECT DISTINCT encodings FROM parquet_metadata('${file}') ORDER BY 1`);
      return (r.getRowObjectsJson() as { encodings: string }[]).map((x) => x.encodings);
    });
    // Values are the same either way.
    expect((await readParquetRowsAsText(file)).slice(0, 2)).toEqual([
      { s: 'MSFT', d: '411.2500000000' },
      { s: 'AAPL', d: '-1.0000000000' },
    ]);
    return rows;
  }

  it('is off by default (plain encoding) and on when asked', async () => {
    expect(await encodings(undefined)).toEqual(['PLAIN']);
    expect((await encodings(true)).some((e) => e.includes('DICTIONARY'))).toBe(true);
  });
});
