import { describe, expect, it } from 'vitest';
import { BreakStage } from '../../db/breaks/write-breaks';
import type { BreakRecord } from '../../lib/breaks';
import { useTempDb } from './fix-scenario';

// A detection run stages its breaks step by step, in chunks (BreakStage), instead of holding
// every record in JavaScript and writing them at the end. What is written must be what writing
// them all at once wrote: every break id once, and for an id staged twice, its last record.

const t = useTempDb();

function record(i: number, over: Partial<BreakRecord> = {}): BreakRecord {
  return {
    break_id: `brk-${String(i).padStart(6, '0')}`,
    class: 'overfill',
    family: 'lifecycle',
    match_key: `S|R${i}`,
    session: 'S',
    chain_root: `R${i}`,
    cl_ord_id: `R${i}`,
    symbol: 'VOD.L',
    account: 'ACC-1',
    trade_date: '2026-11-20',
    notional: '1234.5600000001',
    severity: 'low',
    age_days: 2,
    details: JSON.stringify({ i, text: 'quote " backslash \\ tab \t emoji 🙂' }),
    evidence: '[]',
    ...over,
  };
}

describe('staging the breaks of a run', () => {
  it('writes each break id once, the last record staged for it, across chunks and steps', async () => {
    const first = Array.from({ length: 4500 }, (_, i) => record(i));
    const second = [record(7, { severity: 'high', notional: '99.5' }), record(4500), record(7, { severity: 'medium', notional: '42' })];
    const written = await t.db.transaction(async (tx) => {
      const stage = await BreakStage.open(tx);
      await stage.add(first);
      await stage.add(second);
      return stage.write({ allOf: ['lifecycle'], scopedSessionsOf: [], runLabel: 'test' });
    });
    expect(written).toEqual({ inserted: 4501, reopened: 0, refreshed: 0, autoClosed: 0 });
    const rows = await t.db.all<{ n: number; ids: number }>(`SELECT count(*)::INTEGER AS n, count(DISTINCT break_id)::INTEGER AS ids FROM breaks`);
    expect(rows[0]).toEqual({ n: 4501, ids: 4501 });
    const seven = await t.db.all<Record<string, unknown>>(
      `SELECT severity, notional::VARCHAR AS notional, details FROM breaks WHERE break_id = 'brk-000007'`,
    );
    expect(seven).toEqual([{ severity: 'medium', notional: '42.0000000000', details: record(7).details }]);
    const last = await t.db.all<Record<string, unknown>>(`SELECT notional::VARCHAR AS notional, trade_date::VARCHAR AS d FROM breaks WHERE break_id = 'brk-004499'`);
    expect(last).toEqual([{ notional: '1234.5600000001', d: '2026-11-20' }]);
  });
});
