import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EMPTY_CALENDAR, parseHolidayCalendar, type HolidayCalendar } from '../../lib/breaks/business-days';

// Reads the holiday calendar used for break ageing: WORKBENCH_HOLIDAYS_FILE when set, else the
// default lib/breaks/calendar/holidays.txt. The file is read here, at the edge; lib/breaks stays pure.
// A bad line fails loudly (a silently ignored holiday would age every break wrongly).

const DEFAULT_RELATIVE = path.join('lib', 'breaks', 'calendar', 'holidays.txt');

function defaultCalendarPath(): string | null {
  const candidates: string[] = [];
  try {
    candidates.push(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', DEFAULT_RELATIVE));
  } catch {
    // bundled (Next.js): import.meta.url is not a file URL; fall back to the working directory.
  }
  candidates.push(path.join(process.cwd(), DEFAULT_RELATIVE));
  return candidates.find((p) => existsSync(p)) ?? null;
}

export function loadHolidayCalendar(file: string | undefined = process.env.WORKBENCH_HOLIDAYS_FILE): HolidayCalendar {
  const target = file ?? defaultCalendarPath();
  if (!target) return EMPTY_CALENDAR;
  const { calendar, problems } = parseHolidayCalendar(readFileSync(target, 'utf8'));
  if (problems.length > 0) {
    throw new Error(`breaks.bad_calendar: ${target}: ${problems.map((p) => `line ${p.line}: ${p.message}`).join('; ')}`);
  }
  return calendar;
}
