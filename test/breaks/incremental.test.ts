import { describe, expect, it } from 'vitest';
import { breakId } from '../../lib/breaks';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { FixScenario, openBreakCounts, storedBreaks, useTempDb } from './fix-scenario';

// Re-runs: stable ids, analyst state that survives, automatic closing with a reason, reopening,
// and recomputing only the sessions the given jobs touched.

const t = useTempDb();

describe('incremental detection', () => {
  it('keeps status, assignee and comments across re-runs (stable id)', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    await s.load(t.db);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    const [b] = await storedBreaks(t.db, 'unacknowledged_order');
    expect(b.break_id).toBe(breakId('unacknowledged_order', 'BUY|VENUE|A'));
    await t.db.run(`UPDATE breaks SET status = 'investigating', assignee = 'ana' WHERE break_id = ?`, [b.break_id]);
    await t.db.run(`INSERT INTO break_comments (comment_id, break_id, author, body) VALUES ('c1', ?, 'ana', 'calling the venue')`, [b.break_id]);
    await detectBreaks(t.db, { asOf: '2026-11-25' });
    const rows = await t.db.all<{ status: string; assignee: string; age_days: number }>('SELECT status, assignee, age_days FROM breaks');
    expect(rows).toEqual([{ status: 'investigating', assignee: 'ana', age_days: 3 }]);
    expect(await t.db.all('SELECT body FROM break_comments')).toEqual([{ body: 'calling the venue' }]);
  });

  it('closes a break that no longer holds, with the reason, recomputing only the touched session', async () => {
    const day1 = new FixScenario({ jobId: 'job-1' });
    day1.order('A', { qty: '100', px: '10' });
    day1.ack('A');
    await day1.load(t.db);
    const other = new FixScenario({ jobId: 'job-x', ours: 'BUY2', theirs: 'VENUE2' });
    other.order('Q', { qty: '1', px: '1' });
    await other.load(t.db);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(await openBreakCounts(t.db)).toEqual({ open_at_end_of_data: 1, unacknowledged_order: 1 });

    // A second file of the same session completes the order.
    const day2 = new FixScenario({ jobId: 'job-2', start: '2026-11-20T15:00:00Z' });
    day2.setNextSeq('them', 2);
    day2.setNextSeq('us', 2);
    day2.send('them', {
      msg_type: '8', cl_ord_id: 'A', order_id: 'O-A', exec_id: 'X1', exec_type: 'F', ord_status: '2', side: '1', symbol: 'IBM',
      account: 'ACC1', order_qty: '100', last_qty: '100', last_px: '10', cum_qty: '100', leaves_qty: '0', avg_px: '10',
    });
    await day2.load(t.db);
    const result = await detectBreaks(t.db, { jobIds: ['job-2'], asOf: '2026-11-24' });
    expect(result.sessions).toBe(1);
    expect(result.autoClosed).toBe(1);
    const [closed] = await storedBreaks(t.db, 'open_at_end_of_data');
    expect(closed.status).toBe('resolved');
    expect(closed.closed_reason).toBe('auto: no longer detected (jobs job-2)');
    // The untouched session's break stays as it was.
    expect(await openBreakCounts(t.db)).toEqual({ unacknowledged_order: 1 });
    const events = await t.db.all<{ action: string }>(`SELECT action FROM break_events WHERE break_id = ? ORDER BY occurred_at, action`, [closed.break_id]);
    expect(events.map((e) => e.action)).toEqual(['detected', 'auto_closed']);
  });

  it('reopens a break it closed itself when it holds again; an analyst resolution stays', async () => {
    const s = new FixScenario({ jobId: 'job-1' });
    s.order('A', { qty: '100', px: '10' });
    s.order('B', { qty: '100', px: '10' });
    await s.load(t.db);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    await t.db.run(`UPDATE breaks SET status = 'resolved', closed_reason = 'auto: no longer detected (test)' WHERE chain_root = 'A'`);
    await t.db.run(`UPDATE breaks SET status = 'false_positive', closed_reason = 'test order' WHERE chain_root = 'B'`);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    const rows = await t.db.all<{ chain_root: string; status: string }>('SELECT chain_root, status FROM breaks ORDER BY 1');
    expect(rows).toEqual([
      { chain_root: 'A', status: 'open' },
      { chain_root: 'B', status: 'false_positive' },
    ]);
  });

  it('a file promoted twice counts once', async () => {
    const s = new FixScenario({ jobId: 'job-1', sourceHash: 'same' });
    s.order('A', { qty: '100', px: '10' });
    s.ack('A');
    s.fill('A', '100', '10');
    await s.load(t.db);
    const again = new FixScenario({ jobId: 'job-2', sourceHash: 'same' });
    again.order('A', { qty: '100', px: '10' });
    again.ack('A');
    again.fill('A', '100', '10');
    await again.load(t.db);
    await detectBreaks(t.db, { asOf: '2026-11-24' });
    expect(await openBreakCounts(t.db)).toEqual({});
  });

  it('ages in business days, skipping weekends and calendar holidays; severity rises with age', async () => {
    const s = new FixScenario();
    s.order('A', { qty: '100', px: '10' });
    await s.load(t.db);
    // Trade date Friday 2026-11-20; Thanksgiving 2026-11-26 is in the default calendar.
    await detectBreaks(t.db, { asOf: '2026-11-27' });
    const [b] = await storedBreaks(t.db);
    expect(b.age_days).toBe(4);
    expect(b.severity).toBe('medium');
    await detectBreaks(t.db, { asOf: '2026-11-30' });
    const [older] = await storedBreaks(t.db);
    expect(older.age_days).toBe(5);
    expect(older.severity).toBe('high');
  });
});
