import Decimal from 'decimal.js';

// Instruments, accounts and venues of the demo session, and exact price arithmetic.
// A price is held as an integer number of ticks (safe integer) and written as text with the
// tick's decimals: 0.01 at or above 1.00, 0.0001 below (Reg NMS Rule 612 sub-penny).

export interface Instrument {
  symbol: string;
  /** Reference price in ticks. */
  refTicks: number;
  /** Decimals of the tick: 2 (0.01) or 4 (0.0001). */
  tickDecimals: 2 | 4;
  /** Shares per lot. */
  lotSize: number;
}

export const INSTRUMENTS: readonly Instrument[] = [
  { symbol: 'AAPL', refTicks: 21_250, tickDecimals: 2, lotSize: 100 },
  { symbol: 'MSFT', refTicks: 47_810, tickDecimals: 2, lotSize: 100 },
  { symbol: 'NVDA', refTicks: 14_420, tickDecimals: 2, lotSize: 100 },
  { symbol: 'AMZN', refTicks: 21_335, tickDecimals: 2, lotSize: 100 },
  { symbol: 'JPM', refTicks: 26_490, tickDecimals: 2, lotSize: 100 },
  { symbol: 'XOM', refTicks: 10_785, tickDecimals: 2, lotSize: 100 },
  { symbol: 'KO', refTicks: 7_012, tickDecimals: 2, lotSize: 100 },
  { symbol: 'PFE', refTicks: 2_386, tickDecimals: 2, lotSize: 100 },
  { symbol: 'F', refTicks: 1_072, tickDecimals: 2, lotSize: 100 },
  { symbol: 'BAC', refTicks: 4_661, tickDecimals: 2, lotSize: 100 },
  // Sub-dollar names quote in 0.0001 and trade in lots of 1,000.
  { symbol: 'PNYX', refTicks: 8_425, tickDecimals: 4, lotSize: 1000 },
  { symbol: 'CNTX', refTicks: 3_150, tickDecimals: 4, lotSize: 1000 },
];

export const ACCOUNTS = ['ACC-GROWTH-01', 'ACC-INCOME-02', 'ACC-QUANT-03', 'ACC-MACRO-04', 'ACC-PENSION-05'] as const;

/** Market identifier codes reported in LastMkt (30). */
export const VENUES = ['XNYS', 'XNAS', 'ARCX', 'BATS', 'EDGX', 'IEXG'] as const;

/** FIX Side (54) → the counterparty's side text. */
export const SIDES = { '1': 'BUY', '2': 'SELL', '5': 'SELL_SHORT' } as const;
export type FixSide = keyof typeof SIDES;

/**
 * Cumulative lot counts a fill may bring an order to: 2^a·5^b with a, b ≤ 6. With them the
 * average price Σ(lots·ticks)/lots is a terminating decimal of at most 6 decimals in ticks, so
 * AvgPx is exact and fits DECIMAL(24,10) (4 tick decimals + 6) without rounding.
 */
export const CUM_LOTS = [1, 2, 4, 5, 8, 10, 16, 20, 25, 32, 40, 50, 64, 80, 100, 125, 160, 200] as const;

/** Integer ticks as a price with the tick's decimals, by string arithmetic (exact, no float). */
export function ticksText(ticks: number, inst: Instrument): string {
  return scaledText(ticks, inst.tickDecimals);
}

/** A price written with a fixed number of decimals (the counterparty pads: 212.5000). */
export function ticksTextPadded(ticks: number, inst: Instrument, decimals: number): string {
  if (decimals < inst.tickDecimals) throw new Error('padding cannot drop tick decimals');
  return scaledText(ticks, inst.tickDecimals) + '0'.repeat(decimals - inst.tickDecimals);
}

function scaledText(units: number, decimals: number): string {
  if (!Number.isSafeInteger(units) || units < 0) throw new Error(`bad price units ${units}`);
  const digits = String(units).padStart(decimals + 1, '0');
  return `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
}

/**
 * Exact AvgPx text of fills given as (lots, ticks): Σ lots·ticks / Σ lots, in price units.
 * Throws if the value would need rounding (a generator bug: cumulative lots outside CUM_LOTS).
 */
export function averagePriceText(fills: ReadonlyArray<{ lots: number; ticks: number }>, inst: Instrument): string {
  let lots = 0;
  let notional = 0;
  for (const f of fills) {
    lots += f.lots;
    notional += f.lots * f.ticks;
  }
  if (lots === 0) return '0';
  const avg = new Decimal(notional).div(lots).div(inst.tickDecimals === 2 ? 100 : 10_000);
  if (!avg.times(lots).times(inst.tickDecimals === 2 ? 100 : 10_000).eq(notional) || avg.decimalPlaces() > 10) {
    throw new Error(`AvgPx of ${lots} lots is not exact in 10 decimals`);
  }
  return avg.toFixed();
}
