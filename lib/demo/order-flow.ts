import { byteSum, fieldsText, fixUtcTimestamp, isoWithOffset, type FixField } from './fix-encoder';
import { averagePriceText, SIDES, ticksText, ticksTextPadded, VENUES, type FixSide, type Instrument } from './instruments';
import type { ConfirmationRow, PlannedMessage } from './plan-types';
import type { Prng } from './prng';
import type { TradingDay } from './trading-day';

// Builds the messages of one order chain as the broker would report it, keeping the true state
// (surviving fills, OrderQty, status) so that every report carries exact CumQty, LeavesQty and
// AvgPx unless a scenario overrides a value on purpose. Quantities are lots × lotSize; prices
// are integer ticks; nothing is a floating-point amount.

export interface IdFactory {
  clOrdId(): string;
  orderId(): string;
  execId(): string;
}

export interface FlowContext {
  rng: Prng;
  day: TradingDay;
  ids: IdFactory;
  /** Milliseconds between the steps of an order (fills, cancels); a small spread keeps the heap small at 10M messages. */
  stepMs: readonly [number, number];
  counterparty: string;
  /** The day's TradeDate (75) and SettlDate (64) as LocalMktDate. */
  fixTradeDate: string;
  fixSettlDate: string;
}

export interface OrderSpec {
  inst: Instrument;
  side: FixSide;
  account: string;
  lots: number;
  limitTicks: number;
  start: number;
}

export interface FillRecord {
  execId: string;
  clOrdId: string;
  lots: number;
  ticks: number;
  transactMs: number;
  message: PlannedMessage;
  busted: boolean;
  correction?: { execId: string; ticks: number; message: PlannedMessage };
}

/** Values a scenario reports differently from the truth (the broker's own mistake). */
export interface ReportOverride {
  cumShares?: number;
  leavesShares?: number;
  avgPx?: string;
  ordStatus?: string;
}

const TERMINAL = new Set(['2', '3', '4', '8', 'C']);

export class OrderFlow {
  readonly messages: PlannedMessage[] = [];
  readonly fills: FillRecord[] = [];
  readonly chain: string[];
  readonly orderId: string;
  /** The ClOrdID the broker currently reports in 11 (changes with an accepted cancel or replace). */
  clOrdId: string;
  /** OrigClOrdID (41) the broker reports after a cancel or replace. */
  origClOrdId: string | undefined;
  orderLots: number;
  limitTicks: number;
  status = '0';
  /** SendingTime of the next message. */
  t: number;
  /** A broker error that persists on every later report (the broker's books are wrong from then on). */
  sticky: ReportOverride = {};

  constructor(
    readonly ctx: FlowContext,
    readonly spec: OrderSpec,
    ids?: { clOrdId: string; orderId: string },
  ) {
    this.clOrdId = ids?.clOrdId ?? ctx.ids.clOrdId();
    this.chain = [this.clOrdId];
    this.orderId = ids?.orderId ?? ctx.ids.orderId();
    this.orderLots = spec.lots;
    this.limitTicks = spec.limitTicks;
    this.t = spec.start;
  }

  get root(): string {
    return this.chain[0];
  }

  get isTerminal(): boolean {
    return TERMINAL.has(this.status);
  }

  /** Lots of the surviving fills (busts removed, corrections applied). */
  cumLots(): number {
    let lots = 0;
    for (const f of this.fills) if (!f.busted) lots += f.lots;
    return lots;
  }

  private surviving(): { lots: number; ticks: number }[] {
    return this.fills.filter((f) => !f.busted).map((f) => ({ lots: f.lots, ticks: f.correction?.ticks ?? f.ticks }));
  }

  /** Move the clock: a response (a few ms) or the next step of the order. */
  wait(kind: 'response' | 'step'): void {
    const [lo, hi] = kind === 'response' ? [1, 15] : this.ctx.stepMs;
    this.t += this.ctx.rng.int(lo, hi);
  }

  private push(dir: 'out' | 'in', msgType: string, fields: FixField[]): PlannedMessage {
    fields.sort((a, b) => a[0] - b[0]);
    const body = fieldsText(fields);
    const message: PlannedMessage = { at: this.t, dir, msgType, body, bodySum: byteSum(body) };
    this.messages.push(message);
    return message;
  }

  private shares(lots: number): string {
    return String(lots * this.spec.inst.lotSize);
  }

  private transactMs(): number {
    return this.t - this.ctx.rng.int(0, 2);
  }

  newOrderSingle(): PlannedMessage {
    const { inst, side, account } = this.spec;
    return this.push('out', 'D', [
      [1, account], [11, this.clOrdId], [15, 'USD'], [21, '1'], [38, this.shares(this.orderLots)], [40, '2'],
      [44, ticksText(this.limitTicks, inst)], [54, side], [55, inst.symbol], [59, '0'], [60, fixUtcTimestamp(this.t)],
    ]);
  }

  /** ExecutionReport with the true state unless overridden (by the call or by a sticky broker error). */
  private report(
    execType: string,
    extra: FixField[],
    override: ReportOverride = {},
    execId = this.ctx.ids.execId(),
  ): { message: PlannedMessage; execId: string; transactMs: number } {
    const { inst, side, account } = this.spec;
    const o = { ...this.sticky, ...override };
    const cumLots = this.cumLots();
    const cum = o.cumShares ?? cumLots * inst.lotSize;
    const leaves = o.leavesShares ?? (this.isTerminal ? 0 : (this.orderLots - cumLots) * inst.lotSize);
    const transactMs = this.transactMs();
    const fields: FixField[] = [
      [1, account], [6, o.avgPx ?? averagePriceText(this.surviving(), inst)], [11, this.clOrdId], [14, String(cum)],
      [15, 'USD'], [17, execId], [37, this.orderId], [38, this.shares(this.orderLots)], [39, o.ordStatus ?? this.status],
      [40, '2'], [44, ticksText(this.limitTicks, inst)], [54, side], [55, inst.symbol], [59, '0'],
      [60, fixUtcTimestamp(transactMs)], [64, this.ctx.fixSettlDate], [75, this.ctx.fixTradeDate],
      [150, execType], [151, String(leaves)], ...extra,
    ];
    if (this.origClOrdId) fields.push([41, this.origClOrdId]);
    return { message: this.push('in', '8', fields), execId, transactMs };
  }

  ack(): PlannedMessage {
    this.status = '0';
    return this.report('0', []).message;
  }

  /** A fill of `lots` at `ticks` (default: at or better than the limit). Status follows the true CumQty. */
  fill(lots: number, ticks = this.fillTicks(), override: ReportOverride = {}): FillRecord {
    const execId = this.ctx.ids.execId();
    // The fill counts in the report that announces it, so it joins the order's fills first.
    const counted = { lots, busted: false as boolean, ticks, correction: undefined as FillRecord['correction'] };
    this.fills.push(counted as FillRecord);
    if (!this.isTerminal) this.status = this.cumLots() >= this.orderLots ? '2' : '1';
    const { inst } = this.spec;
    const venue = this.ctx.rng.pick(VENUES);
    const r = this.report('F', [[30, venue], [31, ticksText(ticks, inst)], [32, this.shares(lots)]], override, execId);
    return Object.assign(counted, { execId, clOrdId: this.clOrdId, message: r.message, transactMs: r.transactMs });
  }

  /** A price at the limit or up to three ticks better. */
  fillTicks(): number {
    const better = this.ctx.rng.int(0, 3);
    return this.spec.side === '1' ? this.limitTicks - better : this.limitTicks + better;
  }

  /** OrderCancelRequest (F): a new ClOrdID that joins the chain through OrigClOrdID. */
  cancelRequest(): { message: PlannedMessage; clOrdId: string } {
    const { inst, side, account } = this.spec;
    const clOrdId = this.ctx.ids.clOrdId();
    this.chain.push(clOrdId);
    const message = this.push('out', 'F', [
      [1, account], [11, clOrdId], [37, this.orderId], [38, this.shares(this.orderLots)], [41, this.clOrdId],
      [54, side], [55, inst.symbol], [60, fixUtcTimestamp(this.t)],
    ]);
    return { message, clOrdId };
  }

  /**
   * Pending Cancel (150=6) or Pending Replace (150=E) for a request: reported under the request's
   * ClOrdID with OrigClOrdID, while OrderQty and the order's own ClOrdID stay until it is accepted.
   */
  pending(kind: 'cancel' | 'replace', requestClOrdId: string): PlannedMessage {
    const code = kind === 'cancel' ? '6' : 'E';
    const saved = { clOrdId: this.clOrdId, origClOrdId: this.origClOrdId, status: this.status };
    this.origClOrdId = this.clOrdId;
    this.clOrdId = requestClOrdId;
    this.status = code;
    const message = this.report(code, []).message;
    Object.assign(this, saved);
    return message;
  }

  canceled(cancelClOrdId: string, override: ReportOverride = {}): PlannedMessage {
    this.origClOrdId = this.clOrdId;
    this.clOrdId = cancelClOrdId;
    this.status = '4';
    return this.report('4', [], override).message;
  }

  /** OrderCancelReject (9) for a cancel request: the order stays as it was. */
  cancelReject(cancelClOrdId: string, reason: string, text: string): PlannedMessage {
    return this.push('in', '9', [
      [11, cancelClOrdId], [37, this.orderId], [39, this.status], [41, this.clOrdId], [58, text], [60, fixUtcTimestamp(this.transactMs())],
      [102, reason], [434, '1'],
    ]);
  }

  /** OrderCancelReplaceRequest (G) to a new quantity and limit. */
  replaceRequest(newLots: number, newLimitTicks: number): { message: PlannedMessage; clOrdId: string } {
    const { inst, side, account } = this.spec;
    const clOrdId = this.ctx.ids.clOrdId();
    this.chain.push(clOrdId);
    const message = this.push('out', 'G', [
      [1, account], [11, clOrdId], [15, 'USD'], [21, '1'], [37, this.orderId], [38, this.shares(newLots)], [40, '2'],
      [41, this.clOrdId], [44, ticksText(newLimitTicks, inst)], [54, side], [55, inst.symbol], [59, '0'],
      [60, fixUtcTimestamp(this.t)],
    ]);
    return { message, clOrdId };
  }

  replaced(replaceClOrdId: string, newLots: number, newLimitTicks: number): PlannedMessage {
    this.origClOrdId = this.clOrdId;
    this.clOrdId = replaceClOrdId;
    this.orderLots = newLots;
    this.limitTicks = newLimitTicks;
    this.status = this.cumLots() > 0 ? '1' : '0';
    return this.report('5', []).message;
  }

  /** A Canceled report nobody asked for (the broker cancels an order on its own). */
  unsolicitedCancel(text: string): PlannedMessage {
    this.status = '4';
    return this.report('4', [[58, text]]).message;
  }

  reject(reason: string, text: string): PlannedMessage {
    this.status = '8';
    return this.report('8', [[58, text], [103, reason]]).message;
  }

  /** Trade Cancel (150=H): the busted fill no longer counts; the report carries its LastQty/LastPx. */
  bust(fill: FillRecord): PlannedMessage {
    fill.busted = true;
    const { inst } = this.spec;
    if (!this.isTerminal) this.status = this.cumLots() > 0 ? '1' : '0';
    return this.report('H', [[19, fill.execId], [31, ticksText(fill.ticks, inst)], [32, this.shares(fill.lots)]]).message;
  }

  /** Trade Correct (150=G): same quantity, corrected price; the correction is the surviving version of the fill. */
  correct(fill: FillRecord, newTicks: number): PlannedMessage {
    const execId = this.ctx.ids.execId();
    const { inst } = this.spec;
    const placeholder: PlannedMessage = { at: 0, dir: 'in', msgType: '8', body: '' };
    fill.correction = { execId, ticks: newTicks, message: placeholder };
    const r = this.report('G', [[19, fill.execId], [31, ticksText(newTicks, inst)], [32, this.shares(fill.lots)]], {}, execId);
    fill.correction.message = r.message;
    return r.message;
  }

  /**
   * The counterparty's view of every surviving fill: one row per fill, keyed by the ExecID of its
   * surviving version (the correction's for a corrected fill), written when that message is emitted.
   */
  confirmations(): { row: ConfirmationRow; attachTo: PlannedMessage }[] {
    const { inst, side, account } = this.spec;
    const day = this.ctx.day;
    const out: { row: ConfirmationRow; attachTo: PlannedMessage }[] = [];
    for (const f of this.fills) {
      if (f.busted) continue;
      const execId = f.correction?.execId ?? f.execId;
      const ticks = f.correction?.ticks ?? f.ticks;
      out.push({
        attachTo: f.correction?.message ?? f.message,
        row: {
          exec_id: execId,
          cl_ord_id: f.clOrdId,
          order_id: this.orderId,
          symbol: inst.symbol,
          side: SIDES[side],
          quantity: this.shares(f.lots),
          price: ticksTextPadded(ticks, inst, inst.tickDecimals === 2 ? 4 : 6),
          currency: 'USD',
          trade_date: day.tradeDate,
          settl_date: day.settlDate,
          // The counterparty's clock is New York local time with its offset: the same instant.
          transact_time: isoWithOffset(f.transactMs, day.nyOffsetMinutes),
          account,
          counterparty: this.ctx.counterparty,
        },
      });
    }
    return out;
  }
}
