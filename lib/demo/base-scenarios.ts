import { CUM_LOTS } from './instruments';
import { lotsBetween } from './order-spec';
import { done, filledOrder, fillTo, opened, type Scenario } from './scenario-kit';

// Base scenarios: normal business, no break. Clean mode uses only these.

/** New → 1–4 fills → Filled. */
export const baseFilled: Scenario = { kind: 'base_filled', expected: [], plan: (ctx, start) => done(filledOrder(ctx, start).flow) };

/** New → 0–2 partial fills → cancel request (F, new ClOrdID, 41) → [Pending Cancel 150=6] → Canceled (150=4, LeavesQty 0). */
export const baseCanceled: Scenario = {
  kind: 'base_canceled',
  expected: [],
  plan(ctx, start) {
    const flow = opened(ctx, start);
    const partial = ctx.rng.chance(0.6) ? lotsBetween(ctx.rng, 0, flow.orderLots) : undefined;
    if (partial !== undefined) fillTo(flow, partial, 2);
    flow.wait('step');
    const { clOrdId } = flow.cancelRequest();
    flow.wait('response');
    if (ctx.rng.chance(0.5)) {
      flow.pending('cancel', clOrdId);
      flow.wait('response');
    }
    flow.canceled(clOrdId);
    return done(flow);
  },
};

/** New → optional partial fill → replace (G: new qty and limit) → [Pending Replace 150=E] → Replaced (150=5) → fills → Filled. */
export const baseReplaced: Scenario = {
  kind: 'base_replaced',
  expected: [],
  plan(ctx, start) {
    const flow = opened(ctx, start);
    const partial = ctx.rng.chance(0.5) ? lotsBetween(ctx.rng, 0, flow.orderLots) : undefined;
    if (partial !== undefined) fillTo(flow, partial, 1);
    const cum = flow.cumLots();
    const newLots = ctx.rng.pick(CUM_LOTS.filter((l) => l > cum && l <= 64 && l !== flow.orderLots));
    const move = ctx.rng.int(1, 5) * (flow.spec.side === '1' ? 1 : -1);
    flow.wait('step');
    const { clOrdId } = flow.replaceRequest(newLots, flow.limitTicks + move);
    flow.wait('response');
    if (ctx.rng.chance(0.5)) {
      flow.pending('replace', clOrdId);
      flow.wait('response');
    }
    flow.replaced(clOrdId, newLots, flow.limitTicks + move);
    fillTo(flow, newLots, 3);
    return done(flow);
  },
};

/** New → fill A → fill B → bust of A (150=H, ExecRefID) → fills → Filled. A is not confirmed. */
export const baseBust: Scenario = {
  kind: 'base_bust',
  expected: [],
  plan(ctx, start) {
    const flow = opened(ctx, start, 4);
    const L = flow.orderLots;
    const pairs: [number, number][] = [];
    for (const c1 of CUM_LOTS) for (const c2 of CUM_LOTS) {
      if (c1 < c2 && c2 < L && (CUM_LOTS as readonly number[]).includes(c2 - c1)) pairs.push([c1, c2]);
    }
    const [c1, c2] = ctx.rng.pick(pairs);
    flow.wait('step');
    const a = flow.fill(c1);
    flow.wait('step');
    flow.fill(c2 - c1);
    flow.wait('step');
    flow.bust(a);
    fillTo(flow, L, 2);
    return done(flow);
  },
};

/** New → fill A → correction of A (150=G, ExecRefID, corrected LastPx) → fills → Filled. */
export const baseCorrection: Scenario = {
  kind: 'base_correction',
  expected: [],
  plan(ctx, start) {
    const flow = opened(ctx, start, 2);
    const c1 = lotsBetween(ctx.rng, 0, flow.orderLots)!;
    flow.wait('step');
    const a = flow.fill(c1);
    flow.wait('step');
    const delta = ctx.rng.int(1, 3) * (ctx.rng.chance(0.5) ? 1 : -1);
    flow.correct(a, a.ticks + delta);
    fillTo(flow, flow.orderLots, 2);
    return done(flow);
  },
};

/** A filled order whose one fill our side asks again (ResendRequest 35=2) and the broker resends with 43=Y/122. */
export const basePossDupResend: Scenario = {
  kind: 'base_possdup_resend',
  expected: [],
  plan(ctx, start) {
    const { flow, fills } = filledOrder(ctx, start);
    ctx.rng.pick(fills).message.resend = { badTransactTime: false };
    return done(flow);
  },
};

export const BASE_MIX: readonly [Scenario, number][] = [
  [baseFilled, 0.55],
  [baseCanceled, 0.2],
  [baseReplaced, 0.25],
];

/** Base scenarios placed a fixed number of times (at least once in any dataset large enough). */
export const BASE_FEATURES: readonly { scenario: Scenario; perOrders: number }[] = [
  { scenario: baseBust, perOrders: 100 },
  { scenario: baseCorrection, perOrders: 100 },
  { scenario: basePossDupResend, perOrders: 100 },
];
