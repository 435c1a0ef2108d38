// What a replayed row can do to an open break, table-driven: it may close a break that says a
// row is missing which the replayed output supplies; any other break of a touched chain may change.
// And which values of a row identify the orders and fills it touches.
import { describe, expect, it } from 'vitest';
import { addReplayKeys, breakEffect, emptyReplayKeys } from '../../lib/server/contracts/replay-break-effects';

describe('replay break effects', () => {
  const cases: [output: string, cls: string, effect: 'may_close' | 'may_change'][] = [
    ['confirmations', 'missing_in_counterparty', 'may_close'],
    ['confirmations', 'missing_in_ours', 'may_close'],
    ['confirmations', 'qty_mismatch', 'may_change'],
    ['confirmations', 'orphan_execution', 'may_change'],
    ['fix_order_events', 'orphan_execution', 'may_close'],
    ['fix_order_events', 'unacknowledged_order', 'may_close'],
    ['fix_order_events', 'missing_in_ours', 'may_close'],
    ['fix_order_events', 'overfill', 'may_change'],
    ['fix_order_events', 'missing_in_counterparty', 'may_change'],
    ['fix_session_events', 'sequence_gap', 'may_close'],
    ['fix_session_events', 'duplicate_seq_num', 'may_change'],
    ['some_pipeline_output', 'missing_in_ours', 'may_change'],
  ];
  for (const [output, cls, effect] of cases) {
    it(`${output} row vs ${cls} → ${effect}`, () => expect(breakEffect(output, cls)).toBe(effect));
  }

  it('collects ClOrdID, OrigClOrdID and ExecID, skipping empty and null values', () => {
    const keys = emptyReplayKeys();
    addReplayKeys(keys, { cl_ord_id: 'A', orig_cl_ord_id: 'B', exec_id: 'E1', symbol: 'X' });
    addReplayKeys(keys, { cl_ord_id: 'A', orig_cl_ord_id: null, exec_id: '' });
    addReplayKeys(keys, { order_id: 'O' });
    expect([...keys.clOrdIds].sort()).toEqual(['A', 'B']);
    expect([...keys.execIds]).toEqual(['E1']);
  });
});
