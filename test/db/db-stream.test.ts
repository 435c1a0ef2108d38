// Db.stream on a real DuckDB file: the rows of one query a chunk at a time, with the values all()
// gives (exact decimals as strings, TIMESTAMPTZ as ISO), from one snapshot (writes committed
// while it is read do not show), its connection given up when the reader leaves early or the
// query fails, and inside a transaction the transaction's own rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, STREAM_CHUNK_ROWS, type OpenDb } from '../../db/open';

const N = 5000;
let dir: string;
let db: OpenDb;

interface Row {
  id: string;
  px: string;
  at: string;
}

async function fill(tag: string): Promise<void> {
  await db.run(`DELETE FROM t`);
  await db.run(
    `INSERT INTO t SELECT ? || lpad(i::VARCHAR, 5, '0'), (i / 1000)::DECIMAL(24, 10) + 0.0000000001, TIMESTAMPTZ '2026-03-11 13:30:00.137+00' + i * INTERVAL 1 SECOND
     FROM range(?) r(i)`,
    [tag, N],
  );
}

async function collect(gen: AsyncGenerator<Row[]>): Promise<Row[][]> {
  const chunks: Row[][] = [];
  for await (const c of gen) chunks.push(c);
  return chunks;
}

const SELECT = `SELECT id, px, "at" FROM t ORDER BY id`;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'wb-db-stream-'));
  db = await openDatabase({ file: path.join(dir, 'workbench.duckdb'), dataDir: dir });
  await db.run(`CREATE TABLE t (id VARCHAR, px DECIMAL(24, 10), "at" TIMESTAMPTZ)`);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Db.stream', () => {
  it('hands over every row in chunks, with the values all() gives', async () => {
    await fill('a');
    const chunks = await collect(db.stream<Row>(SELECT));
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(STREAM_CHUNK_ROWS);
    const rows = chunks.flat();
    expect(rows).toEqual(await db.all<Row>(SELECT));
    expect(rows[1]).toEqual({ id: 'a00001', px: '0.0010000001', at: '2026-03-11T13:30:01.137Z' });
  });

  it('binds parameters', async () => {
    await fill('a');
    const rows = (await collect(db.stream<Row>(`SELECT id, px, "at" FROM t WHERE id < ? ORDER BY id`, ['a00003']))).flat();
    expect(rows.map((r) => r.id)).toEqual(['a00000', 'a00001', 'a00002']);
  });

  it('reads one snapshot: rows replaced while it is read do not show', async () => {
    await fill('a');
    const gen = db.stream<Row>(SELECT);
    const first = await gen.next();
    expect(first.done).toBe(false);
    // Another connection replaces every row and commits while the stream is half read.
    await db.transaction(async (tx) => {
      await tx.run(`DELETE FROM t`);
      await tx.run(`INSERT INTO t SELECT 'b' || lpad(i::VARCHAR, 5, '0'), 1, TIMESTAMPTZ '2026-01-01 00:00:00+00' FROM range(?) r(i)`, [N]);
    });
    const rest = (await collect(gen)).flat();
    const ids = [...(first.value as Row[]), ...rest].map((r) => r.id);
    expect(ids).toHaveLength(N);
    expect(ids.every((id) => id.startsWith('a'))).toBe(true);
    expect(new Set(ids).size).toBe(N);
    // And a new read sees the committed state.
    expect((await db.all<{ id: string }>(`SELECT min(id) AS id FROM t`))[0].id).toBe('b00000');
  });

  it('gives up its connection when the reader leaves early, and the database still answers and closes', async () => {
    await fill('a');
    for (let i = 0; i < 8; i++) {
      for await (const chunk of db.stream<Row>(SELECT)) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
    }
    expect((await db.all<{ n: string }>(`SELECT count(*) AS n FROM t`))[0].n).toBe(String(N));
    const other = await openDatabase({ file: path.join(dir, 'other.duckdb'), dataDir: dir });
    await other.run(`CREATE TABLE u AS SELECT * FROM range(5000) r(i)`);
    const gen = other.stream(`SELECT * FROM u`);
    await gen.next();
    await gen.return(undefined);
    await other.close();
  });

  it('fails on the first read for a bad query, and the database still answers', async () => {
    await expect(collect(db.stream<Row>(`SELECT no_such_column FROM t`))).rejects.toThrow(/no_such_column/);
    expect((await db.all<{ n: string }>(`SELECT count(*) AS n FROM t`))[0].n).toBe(String(N));
  });

  it("inside a transaction reads the transaction's own rows", async () => {
    await fill('a');
    const seen = await db.transaction(async (tx) => {
      await tx.run(`INSERT INTO t VALUES ('c00000', 1, TIMESTAMPTZ '2026-01-01 00:00:00+00')`);
      return (await collect(tx.stream<Row>(SELECT))).flat();
    });
    expect(seen).toHaveLength(N + 1);
    expect(seen[N].id).toBe('c00000');
  });
});
