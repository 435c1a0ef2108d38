import { DateTime } from 'luxon';

// Ageing of a break in business days from its trade date: weekends skipped, holidays from a
// calendar file (lib/breaks/calendar/holidays.txt by default; db/breaks/load-holiday-calendar.ts
// reads it at the edge). Dates are ISO 'yyyy-MM-dd' calendar dates; no time zone is involved.

export interface HolidayCalendar {
  /** ISO dates that are not business days (besides Saturdays and Sundays). */
  holidays: ReadonlySet<string>;
}

export interface CalendarProblem {
  code: 'calendar.bad_line';
  line: number;
  message: string;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads a calendar file: one ISO date per line, optionally followed by a comment; '#' starts a
 * comment; blank lines are ignored. Every bad line is reported, none is skipped silently.
 */
export function parseHolidayCalendar(text: string): { calendar: HolidayCalendar; problems: CalendarProblem[] } {
  const holidays = new Set<string>();
  const problems: CalendarProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim();
    if (line === '') return;
    const date = line.split(/\s+/)[0];
    if (!ISO_DATE.test(date) || !DateTime.fromISO(date, { zone: 'UTC' }).isValid) {
      problems.push({ code: 'calendar.bad_line', line: i + 1, message: `not an ISO date: ${JSON.stringify(raw.trim())}` });
      return;
    }
    holidays.add(date);
  });
  return { calendar: { holidays }, problems };
}

export const EMPTY_CALENDAR: HolidayCalendar = { holidays: new Set() };

export function isBusinessDay(isoDate: string, calendar: HolidayCalendar): boolean {
  const d = DateTime.fromISO(isoDate, { zone: 'UTC' });
  return d.weekday <= 5 && !calendar.holidays.has(isoDate);
}

/** Days since 1970-01-01 of an ISO date (calendar arithmetic, no time zone). */
function epochDay(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return ms / 86_400_000;
}

/** Monday..Friday count in the epoch days [1, n] after day `start` (exclusive), by whole weeks. */
function weekdaysAfter(start: number, n: number): number {
  const weeks = Math.floor(n / 7);
  let count = weeks * 5;
  for (let d = start + weeks * 7 + 1; d <= start + n; d++) {
    const dow = (d + 4) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
    if (dow !== 0 && dow !== 6) count++;
  }
  return count;
}

/**
 * Business days in (from, to]: a trade of Friday seen on Monday is 1 day old, on the trade date
 * itself 0. Negative spans (a trade date in the future) age 0. O(holidays), no day loop: this
 * runs once per break on every detection.
 */
export function businessDaysBetween(fromIso: string, toIso: string, calendar: HolidayCalendar = EMPTY_CALENDAR): number {
  const from = epochDay(fromIso);
  const to = epochDay(toIso);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw new Error(`breaks.bad_date: ${fromIso} → ${toIso}`);
  if (to <= from) return 0;
  let count = weekdaysAfter(from, to - from);
  for (const h of calendar.holidays) {
    const d = epochDay(h);
    const dow = (d + 4) % 7;
    if (d > from && d <= to && dow !== 0 && dow !== 6) count--;
  }
  return count;
}
