import Decimal from 'decimal.js';
import { CUM_LOTS, ticksTextPadded } from './instruments';
import { OrderFlow } from './order-flow';
import { lotsBetween, randomOrderSpec } from './order-spec';
import { done, fillTo, opened, type Scenario } from './scenario-kit';

// Seeded lifecycle scenarios: textbook cases of the rules in lib/breaks/break-classes.ts, each
// producing exactly its `expected` classes on the root ClOrdID of its chain and nothing else.

/** Two fills take CumQty past OrderQty; CumQty = Σ LastQty, LeavesQty 0, Filled. → overfill only. */
export const overfill: Scenario = {
  kind: 'overfill',
  expected: ['overfill'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    const L = flow.orderLots;
    const c1 = lotsBetween(ctx.rng, 0, L)!;
    const c2 = CUM_LOTS.find((c) => c > L)!;
    flow.wait('step');
    flow.fill(c1);
    flow.wait('step');
    flow.fill(c2 - c1);
    return done(flow);
  },
};

/**
 * The second fill reports CumQty one lot above Σ LastQty (LeavesQty right), and the broker keeps
 * that CumQty on the Canceled report that ends the chain (LeavesQty 0, AvgPx right). → cum_qty_mismatch only.
 */
export const cumQtyMismatch: Scenario = {
  kind: 'cum_qty_mismatch',
  expected: ['cum_qty_mismatch'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 8);
    const L = flow.orderLots;
    const c2 = lotsBetween(ctx.rng, 1, L - 1)!;
    const c1 = lotsBetween(ctx.rng, 0, c2)!;
    flow.wait('step');
    flow.fill(c1);
    flow.wait('step');
    const wrongCum = (c2 + 1) * flow.spec.inst.lotSize;
    flow.fill(c2 - c1, undefined, { cumShares: wrongCum });
    flow.sticky = { cumShares: wrongCum };
    flow.wait('step');
    const { clOrdId } = flow.cancelRequest();
    flow.wait('response');
    flow.canceled(clOrdId);
    return done(flow);
  },
};

/**
 * LeavesQty one lot too high from the second fill on, ending with a Filled report (39=2,
 * CumQty = OrderQty) that still says LeavesQty = one lot. → leaves_qty_mismatch only.
 */
export const leavesQtyMismatch: Scenario = {
  kind: 'leaves_qty_mismatch',
  expected: ['leaves_qty_mismatch'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 4);
    const L = flow.orderLots;
    const lot = flow.spec.inst.lotSize;
    const c2 = lotsBetween(ctx.rng, 1, L)!;
    const c1 = lotsBetween(ctx.rng, 0, c2)!;
    flow.wait('step');
    flow.fill(c1);
    flow.wait('step');
    flow.fill(c2 - c1, undefined, { leavesShares: (L - c2 + 1) * lot });
    flow.wait('step');
    flow.fill(L - c2, undefined, { leavesShares: lot });
    return done(flow);
  },
};

/** Two fills at different prices; the Filled report's AvgPx is 2% off the exact average. → avg_px_mismatch only. */
export const avgPxMismatch: Scenario = {
  kind: 'avg_px_mismatch',
  expected: ['avg_px_mismatch'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    const L = flow.orderLots;
    const { inst } = flow.spec;
    const c1 = lotsBetween(ctx.rng, 0, L)!;
    flow.wait('step');
    const a = flow.fill(c1);
    flow.wait('step');
    const p2 = a.ticks + (flow.spec.side === '1' ? -2 : 2);
    const exact = new Decimal(c1 * a.ticks + (L - c1) * p2).div(L);
    const wrongTicks = exact.times('1.02').toDecimalPlaces(0);
    const wrong = ticksTextPadded(wrongTicks.toNumber(), inst, inst.tickDecimals);
    flow.fill(L - c1, p2, { avgPx: wrong });
    return done(flow);
  },
};

/**
 * Canceled with nothing filled, then a fill arrives (150=F, OrdStatus still 4, LeavesQty 0,
 * CumQty = its LastQty). The counterparty confirms it. → fill_after_terminal only.
 */
export const fillAfterTerminal: Scenario = {
  kind: 'fill_after_terminal',
  expected: ['fill_after_terminal'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    flow.wait('step');
    const { clOrdId } = flow.cancelRequest();
    flow.wait('response');
    flow.canceled(clOrdId);
    flow.wait('step');
    flow.fill(lotsBetween(ctx.rng, 0, flow.orderLots)!);
    return done(flow);
  },
};

/**
 * The first fill's ExecutionReport is sent twice, byte-identical body, the second time with a new
 * MsgSeqNum and no PossDupFlag; then the order fills. Counted once, CumQty stays right.
 * → duplicate_exec_id only.
 */
export const duplicateExecId: Scenario = {
  kind: 'duplicate_exec_id',
  expected: ['duplicate_exec_id'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    const c1 = lotsBetween(ctx.rng, 0, flow.orderLots)!;
    flow.wait('step');
    const a = flow.fill(c1);
    flow.wait('step');
    flow.messages.push({ at: flow.t, dir: 'in', msgType: '8', body: a.message.body });
    fillTo(flow, flow.orderLots, 2);
    return done(flow);
  },
};

/**
 * An unsolicited Canceled report (150=4, 39=4, nothing filled) for a ClOrdID from the previous
 * day that this log never sent. → orphan_execution only.
 */
export const orphanExecution: Scenario = {
  kind: 'orphan_execution',
  expected: ['orphan_execution'],
  plan(ctx, start) {
    const spec = randomOrderSpec(ctx.rng, start);
    // Yesterday's ids: the date part of our ClOrdID and of the broker's OrderID is the previous business day.
    const today = ctx.day.tradeDate.replaceAll('-', '').slice(2);
    const yesterday = ctx.day.previousBusinessDate.replaceAll('-', '').slice(2);
    const flow = new OrderFlow(ctx, spec, {
      clOrdId: ctx.ids.clOrdId().replace(today, yesterday),
      orderId: ctx.ids.orderId().replace(today, yesterday),
    });
    flow.unsolicitedCancel('Canceled by broker: order from previous session');
    return done(flow);
  },
};

/** A NewOrderSingle that never receives any ExecutionReport. → unacknowledged_order only. */
export const unacknowledgedOrder: Scenario = {
  kind: 'unacknowledged_order',
  expected: ['unacknowledged_order'],
  plan(ctx, start) {
    const flow = new OrderFlow(ctx, randomOrderSpec(ctx.rng, start));
    flow.newOrderSingle();
    return done(flow);
  },
};

/** New → one partial fill (confirmed) → nothing more; a Day order still working. → open_at_end_of_data only. */
export const openAtEndOfData: Scenario = {
  kind: 'open_at_end_of_data',
  expected: ['open_at_end_of_data'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    flow.wait('step');
    flow.fill(lotsBetween(ctx.rng, 0, flow.orderLots)!);
    return done(flow);
  },
};

/** NewOrderSingle answered by a reject (150=8, 39=8, OrdRejReason 3). → rejected_order only. */
export const rejectedOrder: Scenario = {
  kind: 'rejected_order',
  expected: ['rejected_order'],
  plan(ctx, start) {
    const flow = new OrderFlow(ctx, randomOrderSpec(ctx.rng, start));
    flow.newOrderSingle();
    flow.wait('response');
    flow.reject('3', 'Order exceeds credit limit for account');
    return done(flow);
  },
};

/**
 * Partial fill → cancel request → OrderCancelReject (35=9, 434=1, 102=0 "Too late to cancel")
 * → the rest fills (Filled). → cancel_rejected only.
 */
export const cancelRejected: Scenario = {
  kind: 'cancel_rejected',
  expected: ['cancel_rejected'],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    flow.wait('step');
    flow.fill(lotsBetween(ctx.rng, 0, flow.orderLots)!);
    flow.wait('step');
    const { clOrdId } = flow.cancelRequest();
    flow.wait('response');
    flow.cancelReject(clOrdId, '0', 'Too late to cancel');
    flow.wait('response');
    flow.fill(flow.orderLots - flow.cumLots());
    return done(flow);
  },
};
