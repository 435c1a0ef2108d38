// Logical dates: the calendar day (UTC) a run is for, as 'yyyy-MM-dd'. A run for day D selects
// files by mtime relative to the end of D (D+1 00:00 UTC): `since` P1D takes the files of day D.
import { DateTime, Duration } from 'luxon';

export type ParsedLogicalDate = { ok: true; date: string } | { ok: false; code: 'pipeline.bad_logical_date'; message: string };

export function parseLogicalDate(text: string): ParsedLogicalDate {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text) ? DateTime.fromISO(text, { zone: 'utc' }) : null;
  if (!d || !d.isValid) return { ok: false, code: 'pipeline.bad_logical_date', message: `${JSON.stringify(text)} is not a date yyyy-MM-dd` };
  return { ok: true, date: d.toISODate()! };
}

/** The mtime window [from, to) a logical date selects: to = end of the day, from = to - since (or unbounded). */
export function selectionWindow(logicalDate: string, since?: string): { fromMs: number | null; toMs: number } {
  const end = DateTime.fromISO(logicalDate, { zone: 'utc' }).plus({ days: 1 });
  const from = since ? end.minus(Duration.fromISO(since)) : null;
  return { fromMs: from ? from.toMillis() : null, toMs: end.toMillis() };
}

export const MAX_BACKFILL_DAYS = 366;

/** Every day from start to end inclusive, or an error for a reversed or too long range. */
export function daysInRange(start: string, end: string): { ok: true; days: string[] } | { ok: false; code: string; message: string } {
  const a = parseLogicalDate(start);
  if (!a.ok) return a;
  const b = parseLogicalDate(end);
  if (!b.ok) return b;
  if (a.date > b.date) return { ok: false, code: 'pipeline.bad_range', message: `start ${a.date} is after end ${b.date}` };
  const days: string[] = [];
  let d = DateTime.fromISO(a.date, { zone: 'utc' });
  const last = DateTime.fromISO(b.date, { zone: 'utc' });
  while (d <= last) {
    if (days.length >= MAX_BACKFILL_DAYS) return { ok: false, code: 'pipeline.bad_range', message: `a backfill covers at most ${MAX_BACKFILL_DAYS} days` };
    days.push(d.toISODate()!);
    d = d.plus({ days: 1 });
  }
  return { ok: true, days };
}
