import { breakId } from './break-id';
import { familyOf, isBreakClass, RULES, type BreakClass, type BreakFamily } from './break-classes';
import type { BreakConfig } from './break-config';
import { businessDaysBetween, type HolidayCalendar } from './business-days';
import { severityFor, type Severity } from './severity';

// Turns a break as a detection rule found it into the row stored in `breaks`: stable id,
// family, age in business days, severity, and details stamped with the rule's FIX reference.

export interface FoundBreak {
  class: string;
  match_key: string;
  session: string | null;
  chain_root: string | null;
  cl_ord_id: string | null;
  symbol: string | null;
  account: string | null;
  trade_date: string | null;
  notional: string | null;
  /** JSON text of an object. */
  details: string;
  /** JSON text of an array. */
  evidence: string;
}

export interface BreakRecord extends Omit<FoundBreak, 'class'> {
  break_id: string;
  class: BreakClass;
  family: BreakFamily;
  severity: Severity;
  age_days: number | null;
}

export function toBreakRecord(
  found: FoundBreak,
  ctx: { asOf: string; calendar: HolidayCalendar; config: BreakConfig },
): BreakRecord {
  if (!isBreakClass(found.class)) throw new Error(`breaks.unknown_class: ${found.class}`);
  const cls = found.class;
  const ageDays = found.trade_date ? businessDaysBetween(found.trade_date, ctx.asOf, ctx.calendar) : null;
  const details = { ...(JSON.parse(found.details) as Record<string, unknown>), rule: RULES[cls].fixReference };
  return {
    ...found,
    class: cls,
    break_id: breakId(cls, found.match_key),
    family: familyOf(cls),
    age_days: ageDays,
    severity: severityFor({ cls, notional: found.notional, ageDays: ageDays ?? 0 }, ctx.config.severity),
    details: JSON.stringify(details),
  };
}
