import type { OrderFlow } from './order-flow';
import type { PlannedMessage } from './plan-types';
import { done, filledOrder, type Scenario } from './scenario-kit';

// Seeded session scenarios: a normal filled order with one broker message flagged; the FIX
// writer applies the flag and records the break (MsgSeqNum and message index are known only then).

function inboundAfterD(flow: OrderFlow): PlannedMessage[] {
  return flow.messages.filter((m) => m.dir === 'in' && m.msgType === '8');
}

/**
 * A normal filled order; before one of its broker messages the broker's MsgSeqNum skips 1–4
 * numbers that are never resent or gap-filled (no business message is lost). → sequence_gap only
 * (session break, recorded with its message index).
 */
export const sequenceGap: Scenario = {
  kind: 'sequence_gap',
  expected: ['sequence_gap'],
  plan(ctx, start) {
    const { flow } = filledOrder(ctx, start);
    ctx.rng.pick(inboundAfterD(flow)).gapBefore = ctx.rng.int(1, 4);
    return done(flow);
  },
};

/** A normal filled order; right after one broker message a Heartbeat reuses its MsgSeqNum without PossDup. → duplicate_seq_num only. */
export const duplicateSeqNum: Scenario = {
  kind: 'duplicate_seq_num',
  expected: ['duplicate_seq_num'],
  plan(ctx, start) {
    const { flow } = filledOrder(ctx, start);
    ctx.rng.pick(inboundAfterD(flow)).duplicateSeqAfter = true;
    return done(flow);
  },
};
