import { describe, expect, it } from 'vitest';
import { readInChunks } from '../../db/breaks/read-in-chunks';
import { useTempDb } from './fix-scenario';

// Detection hands a step's candidates to JavaScript a chunk at a time (readInChunks) instead of
// reading them whole. The chunks together must be exactly what one read gave: every row once, in
// the query's order, values as they were (decimals as text, NULLs, JSON), whatever the chunk size.

const t = useTempDb();

const QUERY = `SELECT 'c' || (i % 7)::VARCHAR AS class, i::VARCHAR AS match_key, CASE WHEN i % 5 = 0 THEN NULL ELSE 'S' END AS session,
  (i::DECIMAL(38,10) / 3)::DECIMAL(38,10)::VARCHAR AS notional, json_object('i', i, 'q', 'quote " tab \t')::VARCHAR AS details
  FROM range(?::BIGINT) r(i) ORDER BY i DESC`;

async function chunked(n: number, chunkRows: number): Promise<{ rows: Record<string, unknown>[]; sizes: number[] }> {
  const rows: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  await readInChunks<Record<string, unknown>>(t.db, '_test_chunks', { sql: QUERY, params: [n] }, async (chunk) => {
    sizes.push(chunk.length);
    rows.push(...chunk);
  }, chunkRows);
  return { rows, sizes };
}

describe('reading a query in chunks', () => {
  it('gives every row once, in the query order, for any chunk size', async () => {
    for (const n of [0, 1, 7, 12, 1000]) {
      const whole = await t.db.all(QUERY, [n]);
      for (const size of [1, 3, 4, 12, 5000]) {
        const { rows, sizes } = await chunked(n, size);
        expect(rows, `n=${n} chunk=${size}`).toEqual(whole);
        expect(sizes.every((s) => s > 0 && s <= size)).toBe(true);
        expect(sizes.length).toBe(Math.ceil(n / size));
      }
    }
  });

  it('drops its temp table afterwards, also when the consumer fails', async () => {
    await expect(
      readInChunks(t.db, '_test_chunks', { sql: QUERY, params: [10] }, async () => {
        throw new Error('consumer failed');
      }, 3),
    ).rejects.toThrow('consumer failed');
    const left = await t.db.all(`SELECT table_name FROM duckdb_tables() WHERE table_name = '_test_chunks'`);
    expect(left).toEqual([]);
  });
});
