import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { chainKeyRanges } from '../../db/breaks/build-order-state';
import { generateDataset } from '../../lib/demo/generate-dataset';
import { useTempDb } from './fix-scenario';
import { stageAndLoad } from './stage-and-load';

// Detection summarises chains one range of chain keys at a time, so that the summary's aggregate
// state (which DuckDB cannot spill) is bounded by the range and not by the data. The split must
// not change any result: a generated dataset gives the same chains and breaks in one range as in
// many, and the drill-down's message copy stays stored in (chain_key, seq) order.

const t = useTempDb({ reset: false });

async function snapshot() {
  const chains = await t.db.all(`SELECT * EXCLUDE (chain_key) FROM order_chains ORDER BY session, chain_root`);
  const breaks = await t.db.all(`SELECT break_id, class, status, details, evidence FROM breaks ORDER BY break_id`);
  const fills = await t.db.all(`SELECT fill_id, chain_fill_ordinal, order_fill_ordinal FROM order_fills ORDER BY fill_id`);
  return { chains, breaks, fills };
}

describe('chain summary range by range', () => {
  it('splits the chain-key space into contiguous inclusive ranges covering all of it', () => {
    expect(chainKeyRanges(1)).toEqual([['0', '18446744073709551615']]);
    const r = chainKeyRanges(3);
    expect(r[0][0]).toBe('0');
    expect(r[2][1]).toBe('18446744073709551615');
    for (let i = 1; i < r.length; i++) expect(BigInt(r[i][0])).toBe(BigInt(r[i - 1][1]) + 1n);
  });

  it('gives the same chains, fills and breaks in one range as in many', async () => {
    const ds = await generateDataset({ orders: 400, seed: 7, outDir: path.join(t.dir, 'gen') });
    await stageAndLoad(t.db, t.dir, ds.fixPath, 'fix', 'job-fix');
    await stageAndLoad(t.db, t.dir, ds.confirmationsPath, 'confirmations_csv', 'job-conf');

    const one = await detectBreaks(t.db, { asOf: '2026-03-20', chainsPerSummaryRange: 1_000_000 });
    const whole = await snapshot();
    expect(one.chains).toBe(400);
    expect(one.found).toBeGreaterThan(0);

    const many = await detectBreaks(t.db, { asOf: '2026-03-20', chainsPerSummaryRange: 7 });
    expect(many.chains).toBe(one.chains);
    expect(many.byClass).toEqual(one.byClass);
    expect({ inserted: many.inserted, autoClosed: many.autoClosed, reopened: many.reopened }).toEqual({ inserted: 0, autoClosed: 0, reopened: 0 });
    expect(await snapshot()).toEqual(whole);

    // The drill-down reads one chain's messages by zone maps: stored sorted by (chain_key, seq).
    const unsorted = await t.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (
      SELECT chain_key, seq, lag(chain_key) OVER (ORDER BY rowid) AS pk, lag(seq) OVER (ORDER BY rowid) AS ps FROM order_chain_messages)
      WHERE pk > chain_key OR (pk = chain_key AND ps > seq)`);
    expect(Number(unsorted[0].n)).toBe(0);
    // The chains too, by chain_key (the breaks page and the drill-down look a chain up by it).
    const chainsUnsorted = await t.db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM (
      SELECT chain_key, lag(chain_key) OVER (ORDER BY rowid) AS pk FROM order_chains) WHERE pk > chain_key`);
    expect(Number(chainsUnsorted[0].n)).toBe(0);
    // ClOrdID lookups the same way: members stored sorted by member_key = hash(cl_ord_id).
    const members = await t.db.all<{ n: number; wrong: number }>(`SELECT count(*)::INTEGER AS n,
        count(*) FILTER (WHERE member_key <> hash(cl_ord_id) OR pk > member_key)::INTEGER AS wrong
      FROM (SELECT member_key, cl_ord_id, lag(member_key) OVER (ORDER BY rowid) AS pk FROM order_chain_members)`);
    expect(Number(members[0].n)).toBeGreaterThanOrEqual(400);
    expect(Number(members[0].wrong)).toBe(0);
  });
});
