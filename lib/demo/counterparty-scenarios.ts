import Decimal from 'decimal.js';
import { ticksTextPadded } from './instruments';
import type { FlowContext, OrderFlow } from './order-flow';
import type { ConfirmationRow } from './plan-types';
import { done, filledOrder, type PlannedOrder, type Scenario } from './scenario-kit';

// Seeded counterparty scenarios: a normal filled order whose confirmations differ on purpose.
// Every confirmation keeps the fill's exec_id, so matching is by the first key and unambiguous.

export type Confirmed = PlannedOrder['confirmations'][number];

export function counterpartyScenario(
  kind: string,
  expected: string[],
  alter: (c: Confirmed, order: PlannedOrder, ctx: FlowContext, flow: OrderFlow) => Confirmed | null,
): Scenario {
  return {
    kind,
    expected,
    plan(ctx, start) {
      const { flow } = filledOrder(ctx, start);
      const order = done(flow);
      const i = ctx.rng.int(0, order.confirmations.length - 1);
      const altered = alter({ ...order.confirmations[i], row: { ...order.confirmations[i].row } }, order, ctx, flow);
      if (altered === null) order.confirmations.splice(i, 1);
      else order.confirmations[i] = altered;
      if (altered?.row.quarantine) altered.row.quarantine.scenario = kind;
      return order;
    },
  };
}

/** One fill of a filled order has no confirmation row. → missing_in_counterparty only. */
export const missingInCounterparty = counterpartyScenario('missing_in_counterparty', ['missing_in_counterparty'], () => null);

/**
 * The counterparty books an extra fill on one of our orders: a fresh exec_id, an odd quantity
 * (37 shares over whole lots, so no fuzzy 1:1 or 1:N match with lot-sized fills), after our last
 * fill. All our fills are confirmed. → missing_in_ours only.
 */
export const missingInOurs: Scenario = {
  kind: 'missing_in_ours',
  expected: ['missing_in_ours'],
  plan(ctx, start) {
    const { flow } = filledOrder(ctx, start);
    const order = done(flow);
    const last = order.confirmations[order.confirmations.length - 1];
    const lotSize = flow.spec.inst.lotSize;
    const extra: ConfirmationRow = {
      ...last.row,
      exec_id: `${last.row.exec_id.slice(0, 1)}X${last.row.exec_id.slice(1)}`,
      quantity: String(ctx.rng.int(1, 5) * lotSize + (lotSize === 100 ? 37 : 370)),
      transact_time: last.row.transact_time,
    };
    order.confirmations.push({ row: extra, attachTo: last.attachTo });
    return order;
  },
};

/** Matched by exec_id; the counterparty's quantity is one lot more. → qty_mismatch only. */
export const qtyMismatch = counterpartyScenario('qty_mismatch', ['qty_mismatch'], (c, _o, _ctx, flow) => {
  c.row.quantity = String(Number(c.row.quantity) + flow.spec.inst.lotSize);
  return c;
});

/** Matched by exec_id; the counterparty's price is ~1% off (at least 3 ticks; tolerance is 1 bp). → price_mismatch only. */
export const priceMismatch = counterpartyScenario('price_mismatch', ['price_mismatch'], (c, _o, _ctx, flow) => {
  const { inst } = flow.spec;
  const unit = inst.tickDecimals === 2 ? 100 : 10_000;
  const ticks = new Decimal(c.row.price).times(unit).toNumber();
  const off = Math.max(3, Math.round(ticks / 100));
  c.row.price = ticksTextPadded(ticks + off, inst, inst.tickDecimals === 2 ? 4 : 6);
  return c;
});

/** Matched by exec_id; the counterparty has the opposite side (BUY ↔ SELL). → side_mismatch only. */
export const sideMismatch = counterpartyScenario('side_mismatch', ['side_mismatch'], (c) => {
  c.row.side = c.row.side === 'BUY' ? 'SELL' : 'BUY';
  return c;
});

/** Matched by exec_id; the counterparty booked it on the previous business day (settl_date unchanged). → trade_date_mismatch only. */
export const tradeDateMismatch = counterpartyScenario('trade_date_mismatch', ['trade_date_mismatch'], (c, _o, ctx) => {
  c.row.trade_date = ctx.day.previousBusinessDate;
  return c;
});
