import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  BREAK_CLASSES,
  breakId,
  buildMatchTrace,
  businessDaysBetween,
  checkTolerance,
  DEFAULT_BREAK_CONFIG,
  mismatchClasses,
  parseHolidayCalendar,
  resolveBreakConfig,
  RULES,
  severityFor,
} from '../../lib/breaks';

describe('break ids', () => {
  it('are sha256 of class|key, stable and class-specific', () => {
    expect(breakId('overfill', 'S|A')).toBe(breakId('overfill', 'S|A'));
    expect(breakId('overfill', 'S|A')).not.toBe(breakId('cum_qty_mismatch', 'S|A'));
    expect(breakId('overfill', 'S|A')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('every class has a rule with a FIX reference', () => {
    expect(BREAK_CLASSES).toHaveLength(23);
    for (const cls of BREAK_CLASSES) expect(RULES[cls].fixReference.length).toBeGreaterThan(5);
  });
});

describe('tolerance', () => {
  it('equal to the tolerance is within; beyond is not (absolute and relative, exact decimal)', () => {
    expect(checkTolerance('100', '100.01', { abs: '0', rel: '0.0001' })).toEqual({ delta: '0.01', within: true });
    expect(checkTolerance('100', '100.0100000001', { abs: '0', rel: '0.0001' }).within).toBe(false);
    expect(checkTolerance('0.1', '0.3', { abs: '0.2', rel: '0' })).toEqual({ delta: '0.2', within: true });
    expect(checkTolerance('10', '10', { abs: '0', rel: '0' }).within).toBe(true);
  });

  it('is symmetric in the sign of the delta for absolute tolerances', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: -500, max: 500 }), (base, d) => {
        const ours = (base / 100).toFixed(2);
        const up = checkTolerance(ours, (base / 100 + d / 100).toFixed(2), { abs: '1', rel: '0' }).within;
        const down = checkTolerance(ours, (base / 100 - d / 100).toFixed(2), { abs: '1', rel: '0' }).within;
        return up === down && up === Math.abs(d) <= 100;
      }),
    );
  });
});

describe('business days', () => {
  const { calendar, problems } = parseHolidayCalendar('# comment\n2026-11-26 Thanksgiving\n\n2026-12-25\n');
  it('reads a calendar file and reports bad lines', () => {
    expect(problems).toEqual([]);
    expect([...calendar.holidays]).toEqual(['2026-11-26', '2026-12-25']);
    expect(parseHolidayCalendar('2026-13-01\nnope').problems.map((p) => p.line)).toEqual([1, 2]);
  });

  it('skips weekends and holidays', () => {
    expect(businessDaysBetween('2026-11-20', '2026-11-20', calendar)).toBe(0);
    expect(businessDaysBetween('2026-11-20', '2026-11-23', calendar)).toBe(1); // Fri → Mon
    expect(businessDaysBetween('2026-11-25', '2026-11-27', calendar)).toBe(1); // Thanksgiving skipped
    expect(businessDaysBetween('2026-11-27', '2026-11-20', calendar)).toBe(0);
  });
});

describe('severity', () => {
  const cfg = DEFAULT_BREAK_CONFIG.severity;
  it('rises with notional and with age', () => {
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '9999.99', ageDays: 0 }, cfg)).toBe('low');
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '10000', ageDays: 0 }, cfg)).toBe('medium');
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '-150000', ageDays: 0 }, cfg)).toBe('high');
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '1000000', ageDays: 0 }, cfg)).toBe('critical');
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '10', ageDays: 2 }, cfg)).toBe('medium');
    expect(severityFor({ cls: 'cum_qty_mismatch', notional: '10', ageDays: 5 }, cfg)).toBe('high');
    expect(severityFor({ cls: 'overfill', notional: '1', ageDays: 9 }, cfg)).toBe('critical');
    expect(severityFor({ cls: 'sequence_gap', notional: null, ageDays: 0 }, cfg)).toBe('medium');
  });
});

describe('configuration', () => {
  it('overlays defaults and refuses numbers given as JS numbers or negative', () => {
    const ok = resolveBreakConfig({ tolerances: { price: { abs: '0.01', rel: '0' } } });
    expect(ok.ok && ok.config.tolerances.price).toEqual({ abs: '0.01', rel: '0' });
    expect(ok.ok && ok.config.tolerances.quantity).toEqual(DEFAULT_BREAK_CONFIG.tolerances.quantity);
    const bad = resolveBreakConfig({ tolerances: { price: { abs: '-1', rel: 0.1 as unknown as string } } });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems.map((p) => p.path)).toEqual(['tolerances.price.abs', 'tolerances.price.rel']);
  });
});

describe('match trace', () => {
  it('records every field and the classes outside tolerance', () => {
    const trace = buildMatchTrace(
      {
        method: 'fuzzy',
        keyValue: null,
        fillCount: 1,
        ours: { qty: '100', px: '10', side: 'BUY', symbol: 'IBM', account: null, trade_date: '2026-11-20', settl_date: null },
        theirs: { qty: '100', px: '10.01', side: 'SELL', symbol: 'IBM', account: 'X', trade_date: '2026-11-20', settl_date: '2026-11-23' },
      },
      DEFAULT_BREAK_CONFIG.tolerances,
    );
    expect(trace.needs_review).toBe(true);
    expect(trace.fields.find((f) => f.field === 'price')).toMatchObject({ delta: '0.01', within: false });
    expect(mismatchClasses(trace)).toEqual(['price_mismatch', 'side_mismatch']);
  });
});

describe('business days against a day-by-day count', () => {
  it('agrees over random spans and calendars', () => {
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: -10, max: 400 }), fc.array(fc.integer({ min: 0, max: 1200 }), { maxLength: 20 }), (a, span, hs) => {
        const calendar = { holidays: new Set(hs.map(day)) };
        let expected = 0;
        for (let d = a + 1; d <= a + span; d++) {
          const dow = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).getUTCDay();
          if (dow !== 0 && dow !== 6 && !calendar.holidays.has(day(d))) expected++;
        }
        return businessDaysBetween(day(a), day(a + span), calendar) === expected;
      }),
    );
  });
});
