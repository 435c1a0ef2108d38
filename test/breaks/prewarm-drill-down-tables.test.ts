import { open } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { openMemoryDb } from '../../db/breaks/open-memory-db';
import { blockFileOffset, blockReadRuns, DRILL_DOWN_TABLES, prewarmDrillDownTables } from '../../db/breaks/prewarm-drill-down-tables';
import { useTempDb } from './fix-scenario';

// The prewarm reads the drill-down tables' blocks from the database file at offsets computed from
// DuckDB's file layout. If that layout were wrong, the reads would warm the wrong pages and
// nothing would say so: the first test reads values back from the offsets and compares them
// with what DuckDB returns for the same rows.

const t = useTempDb({ reset: false });

async function blockSizeOf(): Promise<number> {
  const [r] = await t.db.all<{ b: string }>(`SELECT block_size::VARCHAR AS b FROM pragma_database_size() WHERE database_name = current_database()`);
  return Number(r.b);
}

describe('prewarming the drill-down tables', () => {
  it('finds each block of a table at the file offset it reads', async () => {
    // Random 63-bit values: DuckDB stores them uncompressed, so a segment's first value is the
    // first 8 bytes of its data (after each block's 8-byte checksum).
    await t.db.run(`CREATE TABLE layout_probe AS SELECT i AS n, (hash(i) >> 1)::BIGINT AS v FROM range(300000) r(i)`);
    await t.db.run('CHECKPOINT');
    const blockSize = await blockSizeOf();
    const segments = await t.db.all<{ row_group_id: string; start: string; count: string; block_id: string; block_offset: string; compression: string }>(
      `SELECT row_group_id::VARCHAR AS row_group_id, start::VARCHAR AS start, count::VARCHAR AS count, block_id::VARCHAR AS block_id,
         block_offset::VARCHAR AS block_offset, compression
       FROM pragma_storage_info('layout_probe') WHERE column_name = 'v' AND segment_type = 'BIGINT' ORDER BY row_group_id, start`,
    );
    // Row-group starts from the segments themselves (no assumption about the row-group size).
    const groupRows = new Map<number, number>();
    for (const s of segments) groupRows.set(Number(s.row_group_id), (groupRows.get(Number(s.row_group_id)) ?? 0) + Number(s.count));
    const groupStart = new Map<number, number>();
    let at = 0;
    for (const [g, n] of [...groupRows].sort((a, b) => a[0] - b[0])) {
      groupStart.set(g, at);
      at += n;
    }
    expect(at).toBe(300000);
    const [{ path }] = await t.db.all<{ path: string }>(`SELECT path FROM duckdb_databases() WHERE database_name = current_database()`);
    const file = await open(path, 'r');
    let checked = 0;
    try {
      for (const s of segments.filter((x) => x.compression === 'Uncompressed' && Number(x.block_id) >= 0)) {
        const row = groupStart.get(Number(s.row_group_id))! + Number(s.start);
        const [{ v }] = await t.db.all<{ v: string }>(`SELECT v::VARCHAR AS v FROM layout_probe WHERE n = ?`, [row]);
        const bytes = Buffer.alloc(8);
        await file.read(bytes, 0, 8, blockFileOffset(Number(s.block_id), blockSize) + 8 + Number(s.block_offset));
        expect(bytes.readBigInt64LE(0).toString(), `row ${row} in block ${s.block_id}`).toBe(v);
        checked++;
      }
    } finally {
      await file.close();
      await t.db.run('DROP TABLE layout_probe');
    }
    expect(checked).toBeGreaterThan(3);
  });

  it('merges adjacent blocks into reads of at most the given size, in file order, each block once', () => {
    const size = 262144;
    expect(blockReadRuns([], size)).toEqual([]);
    expect(blockReadRuns([7, 3, 4, 4, 5, 9], size)).toEqual([
      { offset: blockFileOffset(3, size), length: 3 * size },
      { offset: blockFileOffset(7, size), length: size },
      { offset: blockFileOffset(9, size), length: size },
    ]);
    expect(blockReadRuns([1, 2, 3, 4, 5], size, 2 * size)).toEqual([
      { offset: blockFileOffset(1, size), length: 2 * size },
      { offset: blockFileOffset(3, size), length: 2 * size },
      { offset: blockFileOffset(5, size), length: size },
    ]);
    // A limit below one block still reads whole blocks.
    expect(blockReadRuns([0, 1], size, 1000)).toEqual([
      { offset: blockFileOffset(0, size), length: size },
      { offset: blockFileOffset(1, size), length: size },
    ]);
  });

  it('reads every block of the drill-down tables once, and a pass reports it', async () => {
    await t.db.run(`INSERT INTO order_chain_members (member_key, session, chain_root, cl_ord_id)
      SELECT hash('C' || i), 'S1', 'R' || (i // 3), 'C' || i FROM range(200000) r(i) ORDER BY 1`);
    await t.db.run('CHECKPOINT');
    const blockSize = await blockSizeOf();
    const [{ n }] = await t.db.all<{ n: number }>(
      `SELECT count(DISTINCT block_id)::INTEGER AS n FROM pragma_storage_info('order_chain_members') WHERE persistent AND block_id >= 0`,
    );
    expect(Number(n)).toBeGreaterThan(0);
    const warmed = await prewarmDrillDownTables(t.db);
    expect(warmed).not.toBeNull();
    expect(warmed!.tables).toBe(DRILL_DOWN_TABLES.length);
    expect(warmed!.blocks).toBeGreaterThanOrEqual(Number(n));
    expect(warmed!.bytes).toBe(warmed!.blocks * blockSize);

    const pass = await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(pass.prewarm?.tables).toBe(DRILL_DOWN_TABLES.length);
  });

  it('has nothing to read for an in-memory database', async () => {
    const mem = await openMemoryDb();
    try {
      expect(await prewarmDrillDownTables(mem)).toBeNull();
    } finally {
      await mem.close();
    }
  });
});
