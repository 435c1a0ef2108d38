import Decimal from 'decimal.js';
import { counterpartyScenario } from './counterparty-scenarios';
import { ticksTextPadded } from './instruments';
import { done, filledOrder, type Scenario } from './scenario-kit';

// Seeded quarantine: rows whose one bad value the default contracts quarantine while every other
// value stays valid. A quarantined confirmation leaves its fill unconfirmed (missing_in_counterparty,
// listed); the quarantined FIX row is a PossDup resend, so losing it changes no state and no MsgSeqNum.

/**
 * The only confirmation of one fill has a price with 9 decimals (212.500000000: scale 8 exceeded,
 * trailing zeros count): quarantined (precision_exceeded), so the fill is missing_in_counterparty
 * until a contract amendment and replay promote the row (its value then equals our LastPx).
 */
export const quarantinePricePrecision = counterpartyScenario(
  'quarantine_confirmation_price_precision',
  ['missing_in_counterparty'],
  (c, _o, _ctx, flow) => {
    const { inst } = flow.spec;
    const unit = inst.tickDecimals === 2 ? 100 : 10_000;
    c.row.price = ticksTextPadded(new Decimal(c.row.price).times(unit).toNumber(), inst, 9);
    c.row.quarantine = { violation_type: 'precision_exceeded', column: 'price' };
    return c;
  },
);

/** The only confirmation of one fill has trade_date yyyy-02-30: quarantined (format_invalid). → missing_in_counterparty. */
export const quarantineTradeDate = counterpartyScenario('quarantine_confirmation_trade_date', ['missing_in_counterparty'], (c, _o, ctx) => {
  c.row.trade_date = `${ctx.day.tradeDate.slice(0, 4)}-02-30`;
  c.row.quarantine = { violation_type: 'format_invalid', column: 'trade_date' };
  return c;
});

/** The only confirmation of one fill has side B / S / SS (not in the enum): quarantined (enum_invalid). → missing_in_counterparty. */
export const quarantineSide = counterpartyScenario('quarantine_confirmation_side', ['missing_in_counterparty'], (c) => {
  c.row.side = c.row.side === 'BUY' ? 'B' : c.row.side === 'SELL' ? 'S' : 'SS';
  c.row.quarantine = { violation_type: 'enum_invalid', column: 'side' };
  return c;
});

/**
 * A PossDup resend (43=Y, original MsgSeqNum) of one fill whose TransactTime is an impossible date
 * (Feb 30): the resend row is quarantined (format_invalid). It is a resend of a message already
 * seen, so its absence changes neither business state nor sequence numbers. → no break.
 */
export const quarantineFixTransactTime: Scenario = {
  kind: 'quarantine_fix_transact_time',
  expected: [],
  plan(ctx, start) {
    const { flow, fills } = filledOrder(ctx, start);
    ctx.rng.pick(fills).message.resend = { badTransactTime: true };
    return done(flow);
  },
};
