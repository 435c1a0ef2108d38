import Decimal from 'decimal.js';
import type { BreakClass } from './break-classes';
import type { BreakConfig } from './break-config';

// Severity of a break from its notional impact and its age (DESIGN.md "Trade breaks").
// The notional sets the base level (thresholds in BreakConfig.severity); a class with no
// economic measure (a sequence gap) starts at its floor; age in business days raises the level.

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The lowest severity of a class whatever its notional: differences that are never cosmetic. */
const CLASS_FLOOR: Partial<Record<BreakClass, Severity>> = {
  overfill: 'high',
  fill_after_terminal: 'medium',
  sequence_gap: 'medium',
  missing_in_counterparty: 'medium',
  missing_in_ours: 'medium',
  side_mismatch: 'high',
};

export function severityFor(
  input: { cls: BreakClass; notional: string | null; ageDays: number },
  config: BreakConfig['severity'],
): Severity {
  let level = SEVERITIES.indexOf(CLASS_FLOOR[input.cls] ?? 'low');
  if (input.notional !== null) {
    const n = new Decimal(input.notional).abs();
    const byNotional = n.gte(config.critical) ? 3 : n.gte(config.high) ? 2 : n.gte(config.medium) ? 1 : 0;
    level = Math.max(level, byNotional);
  }
  const [one, two] = config.age_bump_days;
  if (input.ageDays >= two) level += 2;
  else if (input.ageDays >= one) level += 1;
  return SEVERITIES[Math.min(level, SEVERITIES.length - 1)];
}
