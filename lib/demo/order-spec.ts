import { ACCOUNTS, CUM_LOTS, INSTRUMENTS, type FixSide } from './instruments';
import type { OrderSpec } from './order-flow';
import type { Prng } from './prng';

// Random but plausible orders: a symbol, a side (short sales are common on the sell side), an
// account, a quantity in lots and a limit price a few ticks around the reference.

const ORDER_LOTS = CUM_LOTS.filter((l) => l <= 50);

export function randomOrderSpec(rng: Prng, start: number, minLots = 1): OrderSpec {
  const inst = rng.pick(INSTRUMENTS);
  const r = rng.next();
  const side: FixSide = r < 0.5 ? '1' : r < 0.85 ? '2' : '5';
  const lotsChoices = ORDER_LOTS.filter((l) => l >= minLots);
  const lots = rng.pick(lotsChoices.length > 0 ? lotsChoices : [CUM_LOTS[CUM_LOTS.length - 1]]);
  const mid = inst.refTicks + rng.int(-Math.floor(inst.refTicks / 100), Math.floor(inst.refTicks / 100));
  const aggression = rng.int(0, 5);
  const limitTicks = side === '1' ? mid + aggression : mid - aggression;
  return { inst, side, account: rng.pick(ACCOUNTS), lots, limitTicks, start };
}

/**
 * Cumulative lot counts of successive fills from `from` (exclusive) to `to` (inclusive), every
 * intermediate value in CUM_LOTS so AvgPx stays exact; at most `maxFills` fills.
 */
export function cumulativePath(rng: Prng, from: number, to: number, maxFills: number): number[] {
  const between = CUM_LOTS.filter((c) => c > from && c < to);
  const wanted = Math.min(between.length, rng.int(0, Math.max(0, maxFills - 1)));
  const chosen = new Set<number>();
  while (chosen.size < wanted) chosen.add(rng.pick(between));
  return [...chosen].sort((a, b) => a - b).concat(to);
}

/** A CUM_LOTS value strictly between lo and hi, or undefined. */
export function lotsBetween(rng: Prng, lo: number, hi: number): number | undefined {
  const between = CUM_LOTS.filter((c) => c > lo && c < hi);
  return between.length > 0 ? rng.pick(between) : undefined;
}
