import { beforeEach, describe, expect, it } from 'vitest';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { actOnBreak, breakDetail, breaksPage, orderDrillDown } from '../../lib/server/breaks/breaks-service';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import { FixScenario, storeScenarioSource, storedBreaks, useTempDb } from './fix-scenario';

// The break browser's reads, the analyst's actions (audited) and the ClOrdID drill-down down to
// the raw bytes, on a real database file, through the service app/ calls.

const t = useTempDb();
beforeEach(async () => {
  await t.db.run(`DELETE FROM jobs`);
});

/** Three unacknowledged orders (A, B, C), one overfill (O) and a replace chain D → D2 left open. */
async function seed(): Promise<FixScenario> {
  const s = new FixScenario({ jobId: 'job-1' });
  for (const id of ['A', 'B', 'C']) s.order(id, { qty: '10', px: '1', symbol: id === 'C' ? 'MSFT' : 'IBM' });
  s.order('O', { qty: '100', px: '10' });
  s.ack('O');
  s.fill('O', '60', '10');
  s.fill('O', '60', '10');
  s.order('D', { qty: '10', px: '1' });
  s.ack('D');
  s.replaceRequest('D', 'D2', '20');
  s.replaced('D', 'D2', '20');
  await s.load(t.db);
  await detectBreaks(t.db, { asOf: '2026-11-20' });
  return s;
}

describe('break list', () => {
  it('pages with an opaque keyset cursor and counts per class', async () => {
    await seed();
    const first = await breaksPage({ filters: {}, limit: 3 }, t.db);
    expect(first.items).toHaveLength(3);
    expect(first.counts).toEqual({ open_at_end_of_data: 1, overfill: 1, unacknowledged_order: 3 });
    const second = await breaksPage({ filters: {}, cursor: first.next_cursor, limit: 3 }, t.db);
    expect(second.items).toHaveLength(2);
    expect(second.next_cursor).toBeNull();
    const ids = [...first.items, ...second.items].map((b) => b.break_id);
    expect(new Set(ids).size).toBe(5);
    await expect(breaksPage({ filters: {}, cursor: 'garbage', limit: 3 }, t.db)).rejects.toMatchObject({ code: 'breaks.bad_cursor', status: 400 });
  });

  it('filters by class, symbol and ClOrdID (any ClOrdID of the chain, or a prefix)', async () => {
    await seed();
    const byClass = await breaksPage({ filters: { classes: ['unacknowledged_order'], symbol: 'IBM' }, limit: 50 }, t.db);
    expect(byClass.items.map((b) => b.cl_ord_id).sort()).toEqual(['A', 'B']);
    expect(byClass.counts).toEqual({ open_at_end_of_data: 1, overfill: 1, unacknowledged_order: 2 });
    const member = await breaksPage({ filters: { clOrdId: 'D2' }, limit: 50 }, t.db);
    expect(member.items.map((b) => [b.class, b.cl_ord_id])).toEqual([['open_at_end_of_data', 'D']]);
    const prefix = await breaksPage({ filters: { clOrdId: 'O*' }, limit: 50 }, t.db);
    expect(prefix.items.map((b) => b.class)).toEqual(['overfill']);
  });
});

describe('break actions', () => {
  it('assign → investigating, comment, resolve, reopen; each step an event and an audit entry', async () => {
    await seed();
    const [b] = await storedBreaks(t.db, 'overfill');
    expect(await actOnBreak(b.break_id, { action: 'assign', assignee: 'ana' }, 'lead', t.db)).toMatchObject({ from_status: 'open', to_status: 'investigating' });
    await actOnBreak(b.break_id, { action: 'comment', body: 'venue confirms a duplicate fill' }, 'ana', t.db);
    await actOnBreak(b.break_id, { action: 'resolve', reason: 'venue busted the fill' }, 'ana', t.db);
    await expect(actOnBreak(b.break_id, { action: 'resolve', reason: 'again' }, 'ana', t.db)).rejects.toMatchObject({ code: 'break.bad_transition', status: 409 });
    const detail = await breakDetail(b.break_id, t.db);
    expect(detail).toMatchObject({ status: 'resolved', assignee: 'ana', closed_reason: 'venue busted the fill' });
    expect(detail!.events.map((e) => e.action)).toEqual(['detected', 'assign', 'comment', 'resolve']);
    expect(detail!.comments.map((c) => c.body)).toEqual(['venue confirms a duplicate fill']);
    const audit = await t.db.all<{ action: string; subject: string }>(`SELECT action, subject FROM audit_log ORDER BY seq`);
    expect(audit).toEqual([
      { action: 'break.assign', subject: `break:${b.break_id}` },
      { action: 'break.comment', subject: `break:${b.break_id}` },
      { action: 'break.resolve', subject: `break:${b.break_id}` },
    ]);
    expect((await verifyAuditChain(t.db)).ok).toBe(true);
    // Detection still finds the overfill: the analyst's resolution stands.
    await detectBreaks(t.db, { asOf: '2026-11-20' });
    expect((await breakDetail(b.break_id, t.db))!.status).toBe('resolved');
    await actOnBreak(b.break_id, { action: 'reopen' }, 'ana', t.db);
    expect((await breakDetail(b.break_id, t.db))!.status).toBe('open');
    await expect(actOnBreak('0'.repeat(64), { action: 'reopen' }, 'ana', t.db)).rejects.toMatchObject({ code: 'break.not_found', status: 404 });
  });
});

describe('drill-down', () => {
  it('shows the chain, the timeline with computed CumQty, and each raw message field by field with lineage', async () => {
    await storeScenarioSource(t.db, t.dir, await seed());
    const drill = await orderDrillDown('O', t.db);
    expect(drill.chains).toHaveLength(1);
    const [chain] = drill.chains;
    expect(chain.summary).toMatchObject({ chain_root: 'O', computed_cum_qty: '120.00000000' });
    expect(chain.breaks.map((b) => b.class)).toEqual(['overfill']);
    expect(chain.messages.map((m) => [m.msg_type_name, m.exec_type_name, m.computed_cum_qty])).toEqual([
      ['NewOrderSingle', null, '0'],
      ['ExecutionReport', 'New', '0'],
      ['ExecutionReport', 'Trade', '60'],
      ['ExecutionReport', 'Trade', '120'],
    ]);
    expect(chain.messages.map((m) => [m.cum_qty, m.computed_leaves_qty, m.computed_avg_px])).toEqual([
      [null, '100', null],
      ['0.00000000', '100', null],
      ['60.00000000', '40', '10'],
      ['120.00000000', '0', '10'],
    ]);
    const raw = chain.messages[2].raw!;
    expect(raw.text.startsWith('8=FIX.4.4|9=')).toBe(true);
    expect(raw.fields.find((f) => f.tag === 150)).toEqual({ tag: 150, name: 'ExecType', value: 'F', meaning: 'Trade' });
    expect(chain.messages[2]).toMatchObject({ job_id: 'job-1', source_hash: 'hash-job-1', parser_version: '1.0.0', line_number: '6' });
    expect((await orderDrillDown('D2', t.db)).chains[0].chain_root).toBe('D');
    expect((await orderDrillDown('NOPE', t.db)).chains).toEqual([]);
  });
});
