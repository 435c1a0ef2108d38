// A small 5-field cron parser and matcher (minute hour day-of-month month day-of-week), UTC.
// Written here rather than taken from npm: matching a minute is a few lines, and no extra
// dependency is needed. Supports *, lists, ranges, steps (*/n, a-b/n); day-of-week 0-7 (0 and 7
// are Sunday). As in Vixie cron, when both day fields are restricted a day matching either fires.
import { DateTime } from 'luxon';

export interface CronSchedule {
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  daysOfWeek: Set<number>;
  domRestricted: boolean;
  dowRestricted: boolean;
}

export type ParsedCron = { ok: true; schedule: CronSchedule } | { ok: false; code: 'pipeline.bad_cron'; message: string };

const RANGES: ReadonlyArray<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 7],
];

function parseField(text: string, [lo, hi]: [number, number]): Set<number> | null {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return null;
    let from = lo;
    let to = hi;
    if (m[1] !== '*') {
      from = Number(m[2]);
      to = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? hi : from;
    }
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (step < 1 || from < lo || to > hi || from > to) return null;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

export function parseCron(expr: string): ParsedCron {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) return { ok: false, code: 'pipeline.bad_cron', message: `expected 5 fields, got ${fields.length}` };
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const s = parseField(fields[i], RANGES[i]);
    if (!s) return { ok: false, code: 'pipeline.bad_cron', message: `field ${i + 1} (${JSON.stringify(fields[i])}) is not valid` };
    sets.push(s);
  }
  const dow = sets[4];
  if (dow.has(7)) dow.add(0);
  return {
    ok: true,
    schedule: {
      minutes: sets[0],
      hours: sets[1],
      daysOfMonth: sets[2],
      months: sets[3],
      daysOfWeek: dow,
      domRestricted: fields[2] !== '*',
      dowRestricted: fields[4] !== '*',
    },
  };
}

/** Whether the schedule fires in the UTC minute containing `at`. */
export function cronMatches(s: CronSchedule, at: DateTime): boolean {
  const t = at.toUTC();
  if (!s.minutes.has(t.minute) || !s.hours.has(t.hour) || !s.months.has(t.month)) return false;
  const dom = s.daysOfMonth.has(t.day);
  const dow = s.daysOfWeek.has(t.weekday % 7);
  if (s.domRestricted && s.dowRestricted) return dom || dow;
  return dom && dow;
}

/**
 * The firing minutes in (after, upTo], oldest first: what a scheduler tick that last looked at
 * `after` must run now (a tick that was late catches up; none is run twice). Capped at `limit`.
 */
export function firingsBetween(s: CronSchedule, after: DateTime, upTo: DateTime, limit = 1000): DateTime[] {
  const out: DateTime[] = [];
  let t = after.toUTC().startOf('minute').plus({ minutes: 1 });
  const end = upTo.toUTC();
  while (t <= end && out.length < limit) {
    if (cronMatches(s, t)) out.push(t);
    t = t.plus({ minutes: 1 });
  }
  return out;
}
