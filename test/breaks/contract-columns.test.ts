import { describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { FixScenario, openBreakCounts, useTempDb } from './fix-scenario';

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
    const structure = JSON.stringify([Object.fromEntries(Object.keys(orderEvents[3]).map((k) => [k, 'VARCHAR']))]);
    await t.db.run(`INSERT INTO fix_order_events BY NAME SELECT unnest(from_json(?::JSON, '${structure}'), recursive := true)`, [JSON.stringify(orderEvents)]);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(await openBreakCounts(t.db)).toEqual({ overfill: 1 });
  });

  it('refuses a table without lineage', async () => {
    await t.db.run(`ALTER TABLE fix_order_events DROP COLUMN _cf_job_id`);
    await expect(detectBreaks(t.db, { asOf: '2026-11-24' })).rejects.toThrow(/breaks\.missing_lineage/);
  });
});
