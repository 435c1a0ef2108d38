import Decimal from 'decimal.js';
import type { Tolerance } from './break-config';

// The one definition of "within tolerance" (db/breaks SQL implements the same inequality):
// |theirs − ours| ≤ abs OR |theirs − ours| ≤ rel × |ours|. Equal to the tolerance matches.

export interface ToleranceCheck {
  /** theirs − ours, exact. */
  delta: string;
  within: boolean;
}

export function checkTolerance(ours: string, theirs: string, tolerance: Tolerance): ToleranceCheck {
  const o = new Decimal(ours);
  const delta = new Decimal(theirs).minus(o);
  const size = delta.abs();
  const within = size.lte(tolerance.abs) || size.lte(o.abs().times(tolerance.rel));
  return { delta: delta.toFixed(), within };
}
