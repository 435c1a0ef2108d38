import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { generateDataset } from '../../lib/demo/generate-dataset';
import { openTempDb, type TempDb } from './fix-scenario';
import { stageAndLoad } from './stage-and-load';

// The drill-down reads one chain's messages through zone maps, so order_chain_messages must be
// stored in (chain_key, seq) order. Detection writes it from _bk_m (sorted once) without sorting
// again, trusting DuckDB to keep a scan's order: that holds for some plans and not for others
// (a hash join with the one-row table of origins wrote two sorted runs). Only data of several
// row groups (122,880 rows each), read by several threads, shows it: the 400-order dataset of
// summary-ranges.test.ts fits in one row group.

const ORDERS = 80_000;
let t: TempDb;

beforeAll(async () => {
  // Four threads whatever the machine has (the setting is read when the database opens).
  const before = process.env.WORKBENCH_DB_THREADS;
  process.env.WORKBENCH_DB_THREADS = '4';
  try {
    t = await openTempDb();
  } finally {
    if (before === undefined) delete process.env.WORKBENCH_DB_THREADS;
    else process.env.WORKBENCH_DB_THREADS = before;
  }
}, 60_000);
afterAll(async () => {
  await t?.cleanup();
});

describe('the drill-down copies of the messages and fills', () => {
  it('are stored in chain-key order over many row groups read by several threads', async () => {
    const ds = await generateDataset({ orders: ORDERS, seed: 5, outDir: path.join(t.dir, 'gen') });
    await stageAndLoad(t.db, t.dir, ds.fixPath, 'fix', 'job-fix');
    expect((await t.db.all<{ t: string }>(`SELECT current_setting('threads')::VARCHAR AS t`))[0].t).toBe('4');
    await detectBreaks(t.db, { asOf: '2026-03-20' });
    const [r] = await t.db.all<{ n: string; groups: string; unsorted: string }>(`SELECT count(*)::VARCHAR AS n,
        (max(rowid) // 122880 + 1)::VARCHAR AS groups,
        count(*) FILTER (WHERE pk > chain_key OR (pk = chain_key AND ps > seq))::VARCHAR AS unsorted
      FROM (SELECT rowid, chain_key, seq, lag(chain_key) OVER (ORDER BY rowid) AS pk, lag(seq) OVER (ORDER BY rowid) AS ps
        FROM order_chain_messages)`);
    expect(Number(r.groups)).toBeGreaterThanOrEqual(3);
    expect(r.unsorted).toBe('0');
    // The fills likewise, in (chain_key, chain_fill_ordinal) order: sorted with their origin number,
    // their lineage strings taken after the sort.
    const [f] = await t.db.all<{ n: string; groups: string; unsorted: string; lineage: string }>(`SELECT count(*)::VARCHAR AS n,
        (max(rowid) // 122880 + 1)::VARCHAR AS groups,
        count(*) FILTER (WHERE pk > chain_key OR (pk = chain_key AND po > chain_fill_ordinal))::VARCHAR AS unsorted,
        count(*) FILTER (WHERE source_hash IS NULL OR length(source_hash) <> 64 OR job_id <> 'job-fix')::VARCHAR AS lineage
      FROM (SELECT rowid, chain_key, chain_fill_ordinal, source_hash, job_id, lag(chain_key) OVER (ORDER BY rowid) AS pk,
        lag(chain_fill_ordinal) OVER (ORDER BY rowid) AS po FROM order_fills)`);
    expect(Number(f.groups)).toBeGreaterThanOrEqual(2);
    expect(f.unsorted).toBe('0');
    expect(f.lineage).toBe('0');
    // And the chains, by chain_key.
    const [c] = await t.db.all<{ n: string; unsorted: string }>(`SELECT count(*)::VARCHAR AS n,
        count(*) FILTER (WHERE pk > chain_key)::VARCHAR AS unsorted
      FROM (SELECT chain_key, lag(chain_key) OVER (ORDER BY rowid) AS pk FROM order_chains)`);
    expect(Number(c.n)).toBeGreaterThan(50_000);
    expect(c.unsorted).toBe('0');
  }, 240_000);
});
