import { OrderFlow, type FillRecord, type FlowContext } from './order-flow';
import { cumulativePath, randomOrderSpec } from './order-spec';
import type { ConfirmationRow, PlannedMessage } from './plan-types';

// What a scenario is and the few steps every scenario is built from (open an order, fill it
// along exact cumulative lots, collect its messages and confirmations).

export interface PlannedOrder {
  messages: PlannedMessage[];
  confirmations: { row: ConfirmationRow; attachTo: PlannedMessage }[];
  /** Root ClOrdID and the chain's ClOrdIDs (empty for none). */
  root: string;
  chain: string[];
  /** Surviving fills (for statistics). */
  fills: number;
}

export interface Scenario {
  kind: string;
  /** Break classes this scenario produces, and nothing else. Empty for base scenarios. */
  expected: readonly string[];
  plan(ctx: FlowContext, start: number): PlannedOrder;
}

export function done(flow: OrderFlow): PlannedOrder {
  return {
    messages: flow.messages,
    confirmations: flow.confirmations(),
    root: flow.root,
    chain: flow.chain,
    fills: flow.fills.filter((f) => !f.busted).length,
  };
}

/** D → New → fills along a path of cumulative lots (from the current CumQty to `to`). */
export function fillTo(flow: OrderFlow, to: number, maxFills: number): FillRecord[] {
  const out: FillRecord[] = [];
  let cum = flow.cumLots();
  for (const target of cumulativePath(flow.ctx.rng, cum, to, maxFills)) {
    flow.wait('step');
    out.push(flow.fill(target - cum));
    cum = target;
  }
  return out;
}

export function opened(ctx: FlowContext, start: number, minLots = 1): OrderFlow {
  const flow = new OrderFlow(ctx, randomOrderSpec(ctx.rng, start, minLots));
  flow.newOrderSingle();
  flow.wait('response');
  flow.ack();
  return flow;
}

export function filledOrder(ctx: FlowContext, start: number, minLots = 1): { flow: OrderFlow; fills: FillRecord[] } {
  const flow = opened(ctx, start, minLots);
  return { flow, fills: fillTo(flow, flow.orderLots, 4) };
}
