import { describe, expect, it } from 'vitest';
import { detectBreaks, type DetectBreaksOptions } from '../../db/breaks/detect-breaks';
import { confirmationRows, FixScenario, insertRows, openBreakCounts, resetTables, storedBreaks, useTempDb } from './fix-scenario';

// Our surviving fills against a confirmations file: key passes in order, the fuzzy passes,
// every mismatch class, and tolerance boundaries (equal to the tolerance matches).

const t = useTempDb();

type Conf = Record<string, string | null>;

/** Order A: 100 IBM bought at 100 in two fills (E2: 40 @ 100, E3: 60 @ 100), trade date 2026-11-20. */
async function ourFills(): Promise<FixScenario> {
  const s = new FixScenario();
  s.order('A', { qty: '100', px: '100' });
  s.ack('A');
  s.fill('A', '40', '100', { trade_date: '2026-11-20' });
  s.fill('A', '60', '100');
  await s.load(t.db);
  return s;
}

function conf(over: Conf): Conf {
  return {
    exec_id: 'E2', cl_ord_id: 'A', order_id: 'O-A', symbol: 'IBM', side: 'BUY', quantity: '40', price: '100', trade_date: '2026-11-20',
    settl_date: null, transact_time: null, account: 'ACC1', ...over,
  };
}

async function run(confs: Conf[], config?: DetectBreaksOptions['config']): Promise<Record<string, number>> {
  await insertRows(t.db, 'confirmations', confirmationRows(confs));
  await detectBreaks(t.db, { asOf: '2026-11-24', config });
  return openBreakCounts(t.db);
}

const MATCHING = [conf({}), conf({ exec_id: 'E3', quantity: '60' })];

describe('counterparty matching', () => {
  it('all fills confirmed by ExecID: zero breaks', async () => {
    await ourFills();
    expect(await run(MATCHING)).toEqual({});
    const m = await t.db.all<{ method: string; needs_review: boolean }>('SELECT method, needs_review FROM counterparty_matches');
    expect(m).toEqual([{ method: 'exec_id', needs_review: false }, { method: 'exec_id', needs_review: false }]);
  });

  it('missing_in_counterparty and missing_in_ours', async () => {
    await ourFills();
    expect(await run([conf({}), conf({ exec_id: 'ZZ', cl_ord_id: 'NOPE', order_id: 'NOPE', symbol: 'MSFT', quantity: '5' })])).toEqual({
      missing_in_counterparty: 1,
      missing_in_ours: 1,
    });
    const [theirs] = await storedBreaks(t.db, 'missing_in_ours');
    expect(theirs.details).toMatchObject({ exec_id: 'ZZ', quantity: '5.0000' });
    const [ours] = await storedBreaks(t.db, 'missing_in_counterparty');
    expect(ours.details).toMatchObject({ exec_id: 'E3', qty: '60.00000000' });
  });

  it('each field mismatch is its own class, with a match trace', async () => {
    await ourFills();
    const counts = await run([
      conf({ quantity: '41', side: 'SELL', symbol: 'IBM.N', account: 'ACC9', trade_date: '2026-11-19', settl_date: '2026-11-23' }),
      conf({ exec_id: 'E3', quantity: '60', price: '101' }),
    ]);
    expect(counts).toEqual({
      qty_mismatch: 1, side_mismatch: 1, symbol_mismatch: 1, account_mismatch: 1, trade_date_mismatch: 1, price_mismatch: 1,
    });
    const [qty] = await storedBreaks(t.db, 'qty_mismatch');
    const trace = (qty.details as { trace: { method: string; key_value: string; fields: { field: string; delta?: string; within: boolean }[] } }).trace;
    expect(trace.method).toBe('exec_id');
    expect(trace.key_value).toBe('E2');
    expect(trace.fields.find((f) => f.field === 'quantity')).toMatchObject({ delta: '1', within: false });
    expect(trace.fields.find((f) => f.field === 'settl_date')).toMatchObject({ skipped: true, within: true });
  });

  it('settl_date_mismatch when both sides carry one', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '10', px: '5' });
    s.ack('A');
    s.fill('A', '10', '5', { settl_date: '2026-11-23' });
    await s.load(t.db);
    expect(await run([conf({ quantity: '10', price: '5', settl_date: '2026-11-24' })])).toEqual({ settl_date_mismatch: 1 });
  });

  it('price tolerance boundary: equal to the tolerance matches, beyond it breaks', async () => {
    await ourFills();
    // default price tolerance: rel 0.0001 → 0.01 on 100
    expect(await run([conf({ price: '100.01' }), conf({ exec_id: 'E3', quantity: '60', price: '99.99' })])).toEqual({});
    await resetTables(t.db);
    await ourFills();
    expect(await run([conf({ price: '100.0100001' }), conf({ exec_id: 'E3', quantity: '60' })])).toEqual({ price_mismatch: 1 });
  });

  it('quantity and absolute price tolerances from configuration', async () => {
    await ourFills();
    const config = { tolerances: { quantity: { abs: '0.5', rel: '0' }, price: { abs: '0.25', rel: '0' } } };
    expect(await run([conf({ quantity: '40.5', price: '100.25' }), conf({ exec_id: 'E3', quantity: '59.5' })], config)).toEqual({});
    await resetTables(t.db);
    await ourFills();
    expect(await run([conf({ quantity: '40.5001', price: '100.2501' }), conf({ exec_id: 'E3', quantity: '60' })], config)).toEqual({
      qty_mismatch: 1,
      price_mismatch: 1,
    });
  });

  it('matches by venue trade id, by OrderID + fill ordinal and by chain root + fill ordinal', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '40', px: '100' });
    s.ack('A');
    s.fill('A', '40', '100', { trd_match_id: 'M1' });
    s.order('B', { qty: '60', px: '100' });
    s.ack('B');
    s.fill('B', '20', '100');
    s.fill('B', '40', '100');
    s.order('C', { qty: '60', px: '100' });
    s.ack('C');
    s.fill('C', '20', '100');
    s.fill('C', '40', '100');
    await s.load(t.db);
    const counts = await run([
      conf({ exec_id: 'V1', venue_trade_id: 'M1', cl_ord_id: null, order_id: null }),
      conf({ exec_id: 'V2', cl_ord_id: null, order_id: 'O-B', quantity: '20', transact_time: '2026-11-20T14:00:01Z' }),
      conf({ exec_id: 'V3', cl_ord_id: null, order_id: 'O-B', quantity: '40', transact_time: '2026-11-20T14:00:02Z' }),
      conf({ exec_id: 'V4', cl_ord_id: 'C', order_id: null, quantity: '20', transact_time: '2026-11-20T14:00:01Z' }),
      conf({ exec_id: 'V5', cl_ord_id: 'C', order_id: null, quantity: '40', transact_time: '2026-11-20T14:00:02Z' }),
    ]);
    expect(counts).toEqual({});
    const methods = await t.db.all<{ method: string; n: number }>('SELECT method, count(*)::INTEGER AS n FROM counterparty_matches GROUP BY 1 ORDER BY 1');
    expect(methods).toEqual([
      { method: 'chain_root_ordinal', n: 2 },
      { method: 'order_id_ordinal', n: 2 },
      { method: 'venue_trade_id', n: 1 },
    ]);
  });

  it('fuzzy matches (1:1 and 1:N) are marked for review and raise no break when they agree', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '100' });
    s.ack('A');
    s.fill('A', '40', '100');
    s.fill('A', '60', '101');
    s.order('B', { qty: '10', px: '7', symbol: 'MSFT' });
    s.ack('B');
    s.fill('B', '10', '7');
    await s.load(t.db);
    const counts = await run([
      // one confirmation for the whole of A: 100 at the weighted price 100.6
      conf({ exec_id: 'C1', cl_ord_id: null, order_id: null, quantity: '100', price: '100.6' }),
      conf({ exec_id: 'C2', cl_ord_id: null, order_id: null, symbol: 'MSFT', quantity: '10', price: '7' }),
    ]);
    expect(counts).toEqual({});
    const m = await t.db.all<{ method: string; needs_review: boolean; n: number }>(
      'SELECT method, needs_review, count(*)::INTEGER AS n FROM counterparty_matches GROUP BY ALL ORDER BY method',
    );
    expect(m).toEqual([
      { method: 'fuzzy', needs_review: true, n: 1 },
      { method: 'fuzzy_sum', needs_review: true, n: 2 },
    ]);
  });

  it('fuzzy matching is constrained: another account or a price beyond tolerance does not match', async () => {
    await ourFills();
    expect(await run([
      conf({ exec_id: 'C1', cl_ord_id: null, order_id: null, account: 'OTHER' }),
      conf({ exec_id: 'C2', cl_ord_id: null, order_id: null, quantity: '60', price: '102' }),
    ])).toEqual({ missing_in_counterparty: 2, missing_in_ours: 2 });
  });

  it('a busted fill is not expected in the confirmations', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '100' });
    s.ack('A');
    const f = s.fill('A', '40', '100');
    s.bust('A', f);
    s.fill('A', '100', '100');
    await s.load(t.db);
    expect(await run([conf({ exec_id: 'E4', quantity: '100' })])).toEqual({});
  });

  it('a pass over some jobs matches the confirmations against every session, those it did not recompute too', async () => {
    // Session 1 (job-1): A filled by X1. Session 2 (job-2): B filled by X2 and X3; X3's
    // confirmation (V3) names B's ClOrdID but no ExecID of ours: chain root + fill ordinal.
    const one = new FixScenario({ jobId: 'job-1' });
    one.order('A', { qty: '40', px: '100' });
    one.ack('A');
    one.fill('A', '40', '100', { exec_id: 'X1' });
    await one.load(t.db);
    const two = new FixScenario({ jobId: 'job-2', ours: 'BUY2', theirs: 'VENUE2' });
    two.order('B', { qty: '60', px: '100' });
    two.ack('B');
    two.fill('B', '20', '100', { exec_id: 'X2' });
    two.fill('B', '40', '100', { exec_id: 'X3' });
    await two.load(t.db);
    expect(await run([
      conf({ exec_id: 'X1' }),
      conf({ exec_id: 'X2', cl_ord_id: 'B', order_id: null, quantity: '20', transact_time: '2026-11-20T14:00:01Z' }),
      conf({ exec_id: 'V3', cl_ord_id: 'B', order_id: null, quantity: '40', transact_time: '2026-11-20T14:00:02Z' }),
    ])).toEqual({});

    // A later file of session 1 only (job-3): C filled by X4, confirmed. The pass recomputes
    // session 1; session 2's fills and chain members come from what is persisted.
    const later = new FixScenario({ jobId: 'job-3', start: '2026-11-20T15:00:00Z' });
    later.setNextSeq('us', 2);
    later.setNextSeq('them', 3);
    later.order('C', { qty: '10', px: '100' });
    later.ack('C', { exec_id: 'E9' });
    later.fill('C', '10', '100', { exec_id: 'X4' });
    await later.load(t.db);
    await insertRows(t.db, 'confirmations', confirmationRows([conf({ exec_id: 'X4', cl_ord_id: 'C', order_id: null, quantity: '10' })]));
    const result = await detectBreaks(t.db, { jobIds: ['job-3'], asOf: '2026-11-24' });
    expect(result.sessions).toBe(1);
    expect(await openBreakCounts(t.db)).toEqual({});
    const matches = await t.db.all<{ fill_id: string; method: string }>(
      'SELECT fill_id, method FROM counterparty_matches',
    );
    expect(matches.map((m) => [m.fill_id.split('|').pop(), m.method]).sort()).toEqual([
      ['X1', 'exec_id'], ['X2', 'exec_id'], ['X3', 'chain_root_ordinal'], ['X4', 'exec_id'],
    ]);
    const fills = await t.db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM order_fills');
    expect(fills[0].n).toBe(4);
  });
});
