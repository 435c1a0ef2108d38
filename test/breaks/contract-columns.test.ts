import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { FixScenario, insertRows, openBreakCounts, resetTables, storedBreaks, useTempDb } from './fix-scenario';

// An approved contract may leave optional columns out of the warehouse table: detection still
// runs (a missing column reads as NULL), and says so loudly only when lineage is missing.

const t = useTempDb({ reset: false });

describe('warehouse tables narrower than the FIX intent', () => {
  it('detects breaks without trd_match_id, account and last_mkt', async () => {
    for (const c of ['trd_match_id', 'account', 'last_mkt']) await t.db.run(`ALTER TABLE fix_order_events DROP COLUMN ${c}`);
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '60', '10');
    s.fill('A', '60', '10');
    const { orderEvents } = s.rows();
    for (const r of orderEvents) delete r.account;
    await insertRows(t.db, 'fix_order_events', orderEvents);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(await openBreakCounts(t.db)).toEqual({ overfill: 1 });
  });

  it('detects every message without a parser version or contract hash column (their origin is NULL)', async () => {
    // Detection numbers each message's origin (source, job, parser version, contract) and carries
    // the number instead of the strings: a NULL part must still match its origin, or the message
    // would drop out of linking, the sequence rules and the drill-down copy.
    await resetTables(t.db); // the tests of this file share one database (and the narrower table above)
    for (const c of ['_cf_parser_version', '_cf_contract_hash']) await t.db.run(`ALTER TABLE fix_order_events DROP COLUMN ${c}`);
    const present = new Set((await t.db.all<{ name: string }>(
      `SELECT column_name AS name FROM duckdb_columns() WHERE database_name = current_database() AND table_name = 'fix_order_events'`,
    )).map((r) => r.name));
    const s = new FixScenario({ jobId: 'job-n', sourceHash: 'hash-n' });
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '60', '10');
    s.fill('A', '60', '10');
    s.setNextSeq('us', 40);
    s.order('B', { qty: '5', px: '10' });
    const { orderEvents } = s.rows();
    for (const r of orderEvents) for (const k of Object.keys(r)) if (!present.has(k)) delete r[k];
    await insertRows(t.db, 'fix_order_events', orderEvents);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(await openBreakCounts(t.db)).toMatchObject({ overfill: 1, sequence_gap: 1 });
    const [gap] = await storedBreaks(t.db, 'sequence_gap');
    expect(gap.evidence).toEqual([{ output: 'fix_order_events', source_hash: 'hash-n', message_index: orderEvents.length - 1, job_id: 'job-n' }]);
    const copied = await t.db.all<{ n: number; lineage: number }>(
      `SELECT count(*)::INTEGER AS n, count(*) FILTER (WHERE source_hash = 'hash-n' AND job_id = 'job-n' AND parser_version IS NULL)::INTEGER AS lineage
       FROM order_chain_messages`,
    );
    expect(copied[0]).toEqual({ n: orderEvents.length, lineage: orderEvents.length });
  });

  it('refuses a table without lineage', async () => {
    await t.db.run(`ALTER TABLE fix_order_events DROP COLUMN _cf_job_id`);
    await expect(detectBreaks(t.db, { asOf: '2026-11-24' })).rejects.toThrow(/breaks\.missing_lineage/);
  });
});
