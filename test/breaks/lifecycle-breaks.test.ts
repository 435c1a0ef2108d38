import { describe, expect, it } from 'vitest';
import { FixScenario, loadAndDetect, openBreakCounts, resetTables, storedBreaks, useTempDb } from './fix-scenario';

// Lifecycle breaks from hand-built FIX conversations loaded as typed warehouse rows into a real
// DuckDB file. Each case asserts the complete set of open breaks, so a rule that fires where it
// should not fails the test as surely as one that stays silent.

const t = useTempDb();

const detect = (s: FixScenario) => loadAndDetect(t.db, s);

function logon(s: FixScenario): void {
  s.send('us', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
  s.send('them', { msg_type: 'A', reset_seq_num_flag: 'Y', heart_bt_int: '30' });
}

/** Order A (100 @ 10) whose first fill (40 @ 10) is corrected (30 @ 10.1), and that correction again (35 @ 10.2). */
function correctedTwice() {
  const s = new FixScenario();
  s.order('A', { qty: '100', px: '10' });
  s.ack('A');
  const first = s.fill('A', '40', '10');
  const c1 = s.correct('A', first, '30', '10.1');
  const c2 = s.correct('A', c1, '35', '10.2');
  return { s, first, c2 };
}

describe('a clean log', () => {
  it('gives zero breaks: fills, a cancel, a replace, a reject-free day', async () => {
    const s = new FixScenario();
    logon(s);
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '40', '10.1');
    s.fill('A', '60', '10.2');
    s.order('B', { qty: '50', px: '20' });
    s.ack('B');
    s.cancel('B', 'B2');
    s.order('C', { qty: '10', px: '5', side: '2' });
    s.ack('C');
    s.replaceRequest('C', 'C2', '20');
    s.replaced('C', 'C2', '20');
    s.fill('C2', '20', '5');
    s.send('us', { msg_type: '5' });
    s.send('them', { msg_type: '5' });
    expect(await detect(s)).toEqual({});
    const chains = await t.db.all<{ chain_root: string; cl_ord_ids: string[] }>('SELECT chain_root, cl_ord_ids FROM order_chains ORDER BY 1');
    expect(chains.map((c) => [c.chain_root, [...c.cl_ord_ids].sort()])).toEqual([['A', ['A']], ['B', ['B', 'B2']], ['C', ['C', 'C2']]]);
  });
});

describe('lifecycle classes', () => {
  it('overfill: CumQty beyond OrderQty', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '60', '10');
    s.fill('A', '60', '10');
    expect(await detect(s)).toEqual({ overfill: 1 });
    const [b] = await storedBreaks(t.db, 'overfill');
    expect(b).toMatchObject({ cl_ord_id: 'A', chain_root: 'A', session: 'BUY|VENUE' });
    expect(b.details).toMatchObject({ order_qty: '100.00000000', computed_cum_qty: '120.00000000', excess_qty: '20.00000000' });
    expect(b.evidence.length).toBe(4);
  });

  it('cum_qty_mismatch: reported CumQty is not the sum of surviving fills', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10', tif: '1' });
    s.ack('A');
    s.fill('A', '40', '10', { cum_qty: '50', leaves_qty: '50' });
    expect(await detect(s)).toEqual({ cum_qty_mismatch: 1 });
    const [b] = await storedBreaks(t.db, 'cum_qty_mismatch');
    expect(b.details).toMatchObject({ reported_cum_qty: '50.00000000', computed_cum_qty: '40.00000000', delta: '10.00000000' });
  });

  it('leaves_qty_mismatch: LeavesQty is not OrderQty − CumQty', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10', tif: '1' });
    s.ack('A');
    s.fill('A', '40', '10', { leaves_qty: '70' });
    expect(await detect(s)).toEqual({ leaves_qty_mismatch: 1 });
    const [b] = await storedBreaks(t.db, 'leaves_qty_mismatch');
    expect(b.details).toMatchObject({ expected_leaves_qty: '60.00000000', reported_leaves_qty: '70.00000000' });
  });

  it('avg_px_mismatch: beyond tolerance only (equal to the tolerance matches)', async () => {
    const at = new FixScenario();
    at.order('A', { qty: '100', px: '10' });
    at.ack('A');
    at.fill('A', '50', '10');
    at.fill('A', '50', '11', { avg_px: '10.5001' }); // |Δ| = 0.0001 = default abs tolerance
    expect(await detect(at)).toEqual({});

    await resetTables(t.db);
    const beyond = new FixScenario();
    beyond.order('A', { qty: '100', px: '10' });
    beyond.ack('A');
    beyond.fill('A', '50', '10');
    beyond.fill('A', '50', '11', { avg_px: '10.50011' });
    expect(await detect(beyond)).toEqual({ avg_px_mismatch: 1 });
  });

  it('fill_after_terminal: a fill after the cancel', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.cancel('A', 'A2');
    s.fill('A2', '10', '10', { ord_status: '4', leaves_qty: '0' });
    expect(await detect(s)).toEqual({ fill_after_terminal: 1 });
    const [b] = await storedBreaks(t.db, 'fill_after_terminal');
    expect(b.details).toMatchObject({ terminal_status: '4', last_qty: '10.00000000' });
  });

  it('a fill after cancel followed by its bust gives no break', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.cancel('A', 'A2');
    const late = s.fill('A2', '10', '10', { ord_status: '4', leaves_qty: '0' });
    s.bust('A2', late, { ord_status: '4', leaves_qty: '0' });
    expect(await detect(s)).toEqual({});
    const [chain] = await t.db.all<{ computed_cum_qty: string }>('SELECT computed_cum_qty FROM order_chains');
    expect(chain.computed_cum_qty).toBe('0.00000000');
  });

  it('duplicate_exec_id: resent without PossDup, or with different economics; an identical PossDup resend is ignored', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    const f = s.fill('A', '100', '10');
    s.send('them', { ...f, msg_seq_num: undefined as unknown as string }); // same ExecID, new MsgSeqNum, no PossDup
    expect(await detect(s)).toEqual({ duplicate_exec_id: 1 });

    await resetTables(t.db);
    const ok = new FixScenario();
    ok.order('A', { qty: '100', px: '10' });
    ok.ack('A');
    const g = ok.fill('A', '100', '10');
    ok.send('them', { ...g, poss_dup_flag: 'Y', msg_seq_num: g.msg_seq_num });
    expect(await detect(ok)).toEqual({});

    await resetTables(t.db);
    const econ = new FixScenario();
    econ.order('A', { qty: '100', px: '10' });
    econ.ack('A');
    const h = econ.fill('A', '100', '10');
    econ.send('them', { ...h, last_px: '10.5', poss_dup_flag: 'Y', msg_seq_num: h.msg_seq_num });
    expect(await detect(econ)).toEqual({ duplicate_exec_id: 1 });
  });

  it('a resent NewOrderSingle does not count again: the chain keeps the quantity of its replace', async () => {
    const s = new FixScenario();
    const d = s.order('A', { qty: '100', px: '10' });
    s.replaceRequest('A', 'A2', '200');
    s.send('us', { ...d, poss_dup_flag: 'Y', msg_seq_num: d.msg_seq_num });
    await detect(s);
    const [chain] = await t.db.all<{ order_qty: string; message_count: number }>('SELECT order_qty::VARCHAR AS order_qty, message_count::INTEGER AS message_count FROM order_chains');
    expect(chain).toEqual({ order_qty: '200.00000000', message_count: 3 });
  });

  it('orphan_execution: a report for an unknown chain', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10');
    s.send('them', {
      msg_type: '8', cl_ord_id: 'Z', order_id: 'OZ', exec_id: 'EZ', exec_type: 'F', ord_status: '2', side: '1', symbol: 'IBM',
      order_qty: '10', last_qty: '10', last_px: '1', cum_qty: '10', leaves_qty: '0', avg_px: '1',
    });
    expect(await detect(s)).toEqual({ orphan_execution: 1 });
    const [b] = await storedBreaks(t.db, 'orphan_execution');
    expect(b.cl_ord_id).toBe('Z');
  });

  it('a drop-copy session (no NewOrderSingle at all) raises no orphan breaks', async () => {
    const s = new FixScenario();
    s.send('them', {
      msg_type: '8', cl_ord_id: 'Z', order_id: 'OZ', exec_id: 'EZ', exec_type: 'F', ord_status: '2', side: '1', symbol: 'IBM',
      order_qty: '10', last_qty: '10', last_px: '1', cum_qty: '10', leaves_qty: '0', avg_px: '1',
    });
    expect(await detect(s)).toEqual({});
  });

  it('unacknowledged_order: a NewOrderSingle never answered', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    expect(await detect(s)).toEqual({ unacknowledged_order: 1 });
  });

  it('open_at_end_of_data: a day order still working; a GTC order is not reported', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.order('G', { qty: '100', px: '10', tif: '1' });
    s.ack('G');
    expect(await detect(s)).toEqual({ open_at_end_of_data: 1 });
    const [b] = await storedBreaks(t.db, 'open_at_end_of_data');
    expect(b.cl_ord_id).toBe('A');
  });

  it('rejected_order', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A', { exec_type: '8', ord_status: '8', leaves_qty: '0', ord_rej_reason: '3' });
    expect(await detect(s)).toEqual({ rejected_order: 1 });
    const [b] = await storedBreaks(t.db, 'rejected_order');
    expect(b.details).toMatchObject({ rejected_cl_ord_id: 'A', ord_rej_reason: '3' });
  });

  it('cancel_rejected', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10');
    s.send('us', { msg_type: 'F', cl_ord_id: 'A2', orig_cl_ord_id: 'A', side: '1', symbol: 'IBM', order_qty: '100' });
    s.send('them', { msg_type: '9', cl_ord_id: 'A2', orig_cl_ord_id: 'A', order_id: 'O-A', ord_status: '2', cxl_rej_response_to: '1', cxl_rej_reason: '0' });
    expect(await detect(s)).toEqual({ cancel_rejected: 1 });
    const [b] = await storedBreaks(t.db, 'cancel_rejected');
    expect(b).toMatchObject({ chain_root: 'A' });
    expect(b.details).toMatchObject({ rejected_cl_ord_id: 'A2', cxl_rej_response_to: '1' });
  });

  it('order_id_changed; an engine issuing a new OrderID on every report is a convention, not a break', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A', { order_id: 'O1' });
    s.fill('A', '100', '10', { order_id: 'O2' });
    expect(await detect(s)).toEqual({ order_id_changed: 1 });

    await resetTables(t.db);
    const every = new FixScenario();
    every.order('A', { qty: '100', px: '10' });
    every.ack('A', { order_id: 'O1' });
    every.fill('A', '50', '10', { order_id: 'O2' });
    every.fill('A', '50', '10', { order_id: 'O3' });
    expect(await detect(every)).toEqual({});
  });
});

describe('edge cases of real engines', () => {
  it('a completing fill reported 39=1 / 151=0, then a status report, is a clean fill', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10', { ord_status: '1' });
    s.ack('A', { exec_type: 'I', ord_status: '2', cum_qty: '100', leaves_qty: '0', avg_px: '10' });
    expect(await detect(s)).toEqual({});
  });

  it('the completing 39=1 / 151=0 fill alone also closes the order', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10', { ord_status: '1' });
    expect(await detect(s)).toEqual({});
  });

  it('a replace crossing a fill', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '40', '10');
    s.replaceRequest('A', 'B', '150');
    s.fill('A', '30', '10'); // executed on the old ClOrdID while the replace is in flight
    s.replaced('A', 'B', '150');
    s.fill('B', '80', '10');
    expect(await detect(s)).toEqual({});
    const [chain] = await t.db.all<{ chain_root: string; order_qty: string; computed_cum_qty: string }>('SELECT * FROM order_chains');
    expect(chain).toMatchObject({ chain_root: 'A', order_qty: '150.00000000', computed_cum_qty: '150.00000000' });
  });

  it('a 4.2 bust via ExecTransType=1 removes the fill', async () => {
    const s = new FixScenario({ begin: 'FIX.4.2' });
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '40', '10');
    const second = s.fill('A', '60', '10');
    s.bust('A', second);
    s.fill('A', '60', '10.5');
    expect(await detect(s)).toEqual({});
    const [chain] = await t.db.all<{ computed_cum_qty: string; fill_count: string }>('SELECT * FROM order_chains');
    expect(chain).toMatchObject({ computed_cum_qty: '100.00000000', fill_count: '2' });
  });

  it('a 4.2 bust the venue forgets in CumQty is a cum_qty_mismatch', async () => {
    const s = new FixScenario({ begin: 'FIX.4.2' });
    s.order('A', { qty: '100', px: '10', tif: '1' });
    s.ack('A');
    s.fill('A', '40', '10');
    const second = s.fill('A', '60', '10');
    s.bust('A', second, { cum_qty: '100', leaves_qty: '0', ord_status: '2', avg_px: '10' });
    expect(await detect(s)).toEqual({ cum_qty_mismatch: 1 });
  });

  it('a 4.4 correction (150=G) replaces the fill quantity and price', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    const first = s.fill('A', '40', '10');
    s.correct('A', first, '30', '10.1');
    s.fill('A', '70', '10');
    expect(await detect(s)).toEqual({});
    const fills = await t.db.all<{ last_qty: string; last_px: string; exec_id: string }>('SELECT * FROM order_fills ORDER BY chain_fill_ordinal');
    expect(fills.map((f) => [f.exec_id, f.last_qty, f.last_px])).toEqual([
      [first.exec_id, '30.00000000', '10.1000000000'],
      ['E4', '70.00000000', '10.0000000000'],
    ]);
  });

  it('a correction of a correction gives the fill the quantity, price and ExecID of the last correction', async () => {
    const { s, first, c2 } = correctedTwice();
    s.fill('A', '65', '10');
    expect(await detect(s)).toEqual({});
    const fills = await t.db.all<{ last_qty: string; last_px: string; exec_id: string; current_exec_id: string }>(
      'SELECT * FROM order_fills ORDER BY chain_fill_ordinal');
    expect(fills.map((f) => [f.exec_id, f.current_exec_id, f.last_qty, f.last_px])).toEqual([
      [first.exec_id, c2.exec_id, '35.00000000', '10.2000000000'],
      ['E5', 'E5', '65.00000000', '10.0000000000'],
    ]);
  });

  it('a bust of a correction of a correction removes the fill it goes back to', async () => {
    const { s, c2 } = correctedTwice();
    s.bust('A', c2);
    s.fill('A', '100', '10');
    expect(await detect(s)).toEqual({});
    const fills = await t.db.all<{ exec_id: string; last_qty: string }>('SELECT * FROM order_fills ORDER BY chain_fill_ordinal');
    expect(fills.map((f) => [f.exec_id, f.last_qty])).toEqual([['E6', '100.00000000']]);
  });

  it('a report without ClOrdID joins its chain through OrderID', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10', { cl_ord_id: null });
    expect(await detect(s)).toEqual({});
    const [chain] = await t.db.all<{ fill_count: string }>('SELECT fill_count FROM order_chains');
    expect(chain.fill_count).toBe('1');
  });

  it('a report without ClOrdID whose OrderID two chains share joins neither: it gets a chain of its OrderID', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10', orderId: 'O-SHARED' });
    s.ack('A');
    s.order('B', { qty: '100', px: '10', orderId: 'O-SHARED' });
    s.ack('B');
    const orphan = s.fill('A', '100', '10', { cl_ord_id: null });
    await detect(s);
    const chains = await t.db.all<{ chain_root: string; fill_count: string }>('SELECT chain_root, fill_count FROM order_chains ORDER BY 1');
    expect(chains).toEqual([
      { chain_root: '#order:O-SHARED', fill_count: '1' },
      { chain_root: 'A', fill_count: '0' },
      { chain_root: 'B', fill_count: '0' },
    ]);
    const placed = await t.db.all(`SELECT chain_root FROM order_fills WHERE exec_id = ?`, [orphan.exec_id]);
    expect(placed).toEqual([{ chain_root: '#order:O-SHARED' }]);
  });
});
