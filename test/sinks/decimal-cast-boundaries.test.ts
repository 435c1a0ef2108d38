// Wide decimals (precision > 18) are cast through DECIMAL(18, s) when the value fits and directly
// when it does not (db/parquet/cast-from-text.ts). Values on both sides of that boundary, signed,
// at the column's extremes and NULL, must come back from the Parquet file digit for digit.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createParquetSink, readParquetColumns, readParquetRowsAsText } from '../../db/parquet';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sink-decimal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Canonical text (exactly `scale` fractional digits), as the validator writes it.
const CASES: { type: string; values: (string | null)[] }[] = [
  {
    // 8 integer digits fit DECIMAL(18,10); 9 do not.
    type: 'DECIMAL(24,10)',
    values: [
      '99999999.9999999999',
      '-99999999.9999999999',
      '100000000.0000000000',
      '-100000000.0000000001',
      '99999999999999.9999999999',
      '-99999999999999.9999999999',
      '0.0000000001',
      '-0.0000000001',
      '0.0000000000',
      null,
    ],
  },
  {
    type: 'DECIMAL(38,0)',
    values: ['999999999999999999', '-999999999999999999', '1000000000000000000', '-1000000000000000000', '99999999999999999999999999999999999999', '-99999999999999999999999999999999999999', '0', null],
  },
  {
    type: 'DECIMAL(20,17)',
    values: ['9.99999999999999999', '-9.99999999999999999', '10.00000000000000000', '-999.99999999999999999', '0.00000000000000001', null],
  },
];

describe('wide decimal casts', () => {
  for (const { type, values } of CASES) {
    it(`${type}: every value exact on both sides of the DECIMAL(18, s) boundary`, async () => {
      const file = path.join(dir, `${type.replace(/\W+/g, '_')}.parquet`);
      const sink = await createParquetSink({ filePath: file, columns: [{ name: 'i', duckdbType: 'BIGINT' }, { name: 'd', duckdbType: type }] });
      await sink.write(values.map((d, i) => ({ i: String(i), d })));
      await sink.finish();
      expect((await readParquetColumns(file)).map((c) => c.duckdbType)).toEqual(['BIGINT', type]);
      const back = await readParquetRowsAsText(file);
      expect(back.map((r) => r.i)).toEqual(values.map((_, i) => String(i)));
      expect(back.map((r) => r.d)).toEqual(values);
    });
  }

  it('a value beyond the declared precision fails the COPY instead of being stored rounded', async () => {
    const file = path.join(dir, 'overflow.parquet');
    const sink = await createParquetSink({ filePath: file, columns: [{ name: 'd', duckdbType: 'DECIMAL(24,10)' }] });
    await sink.write([{ d: '1.0000000000' }, { d: '100000000000000.0000000000' }]);
    await expect(sink.finish()).rejects.toThrow();
    await sink.abort();
  });
});
