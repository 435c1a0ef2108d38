import type { Prng } from './prng';
import { BASE_FEATURES, BASE_MIX, SEEDED, SEEDED_PER_ORDERS, type Scenario } from './scenarios';

// Chooses the scenario of each order slot in one pass (selection sampling, Knuth's Algorithm S):
// scenarios with a fixed count land exactly that many times at random slots, the other slots get
// base business drawn from BASE_MIX. Nothing is buffered, so it streams for any number of orders.

export function fixedCounts(orders: number, clean: boolean): { scenario: Scenario; count: number }[] {
  const seeded = clean ? [] : SEEDED.map((scenario) => ({ scenario, count: Math.max(1, Math.floor(orders / SEEDED_PER_ORDERS)) }));
  const features = BASE_FEATURES.map(({ scenario, perOrders }) => ({ scenario, count: Math.max(1, Math.floor(orders / perOrders)) }));
  const all = [...seeded, ...features];
  const total = all.reduce((n, s) => n + s.count, 0);
  if (total <= orders) return all;
  // Too few orders for every scenario: one of each, in catalogue order, as many as fit.
  return all.slice(0, orders).map(({ scenario }) => ({ scenario, count: 1 }));
}

export class ScenarioPicker {
  private readonly fixed: { scenario: Scenario; count: number }[];
  private remainingFixed: number;
  private remainingSlots: number;

  constructor(
    private readonly rng: Prng,
    orders: number,
    clean: boolean,
  ) {
    this.fixed = fixedCounts(orders, clean);
    this.remainingFixed = this.fixed.reduce((n, s) => n + s.count, 0);
    this.remainingSlots = orders;
  }

  next(): Scenario {
    const slots = this.remainingSlots--;
    if (this.remainingFixed > 0 && this.rng.next() * slots < this.remainingFixed) {
      let r = this.rng.int(0, this.remainingFixed - 1);
      for (const s of this.fixed) {
        if (r < s.count) {
          s.count--;
          this.remainingFixed--;
          return s.scenario;
        }
        r -= s.count;
      }
    }
    let u = this.rng.next();
    for (const [scenario, weight] of BASE_MIX) {
      if (u < weight) return scenario;
      u -= weight;
    }
    return BASE_MIX[0][0];
  }
}
