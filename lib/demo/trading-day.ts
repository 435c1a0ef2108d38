import { DateTime } from 'luxon';

// The trading day of a generated dataset: a plausible US equities session (09:30–16:00 New York)
// chosen from the seed, its T+1 settlement date (US equities settle T+1 since May 2024) and the
// New York UTC offset of that day, computed once with luxon so the per-row path stays arithmetic.

const NEW_YORK = 'America/New_York';

/** NYSE full-day closures around the candidate dates (settlement skips them). */
const US_HOLIDAYS = new Set([
  '2025-01-01', '2025-01-20', '2025-02-17', '2025-04-18', '2025-05-26', '2025-06-19', '2025-07-04',
  '2025-09-01', '2025-11-27', '2025-12-25', '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03',
  '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
]);

/** Ordinary trading days: a Friday (settles Monday), one before Juneteenth (settles two days later), one in EST. */
const CANDIDATE_DATES = [
  '2025-06-11', '2025-06-13', '2025-06-18', '2025-09-17', '2025-10-03', '2025-11-12', '2026-03-11', '2026-05-13',
];

export interface TradingDay {
  /** yyyy-MM-dd */
  tradeDate: string;
  settlDate: string;
  /** The business day before the trade date (a counterparty booking on the wrong day). */
  previousBusinessDate: string;
  /** 09:30:00.000 New York, epoch ms. */
  openMs: number;
  /** 16:00:00.000 New York, epoch ms. */
  closeMs: number;
  /** New York offset from UTC on that day, minutes (-240 in EDT, -300 in EST). */
  nyOffsetMinutes: number;
}

function isBusinessDay(d: DateTime): boolean {
  return d.weekday <= 5 && !US_HOLIDAYS.has(d.toISODate()!);
}

function stepBusinessDay(date: string, step: 1 | -1): string {
  let d = DateTime.fromISO(date, { zone: 'UTC' });
  do d = d.plus({ days: step });
  while (!isBusinessDay(d));
  return d.toISODate()!;
}

export function tradingDayForSeed(seed: number): TradingDay {
  const tradeDate = CANDIDATE_DATES[((seed % CANDIDATE_DATES.length) + CANDIDATE_DATES.length) % CANDIDATE_DATES.length];
  const open = DateTime.fromISO(`${tradeDate}T09:30:00.000`, { zone: NEW_YORK });
  const close = DateTime.fromISO(`${tradeDate}T16:00:00.000`, { zone: NEW_YORK });
  return {
    tradeDate,
    settlDate: stepBusinessDay(tradeDate, 1),
    previousBusinessDate: stepBusinessDay(tradeDate, -1),
    openMs: open.toMillis(),
    closeMs: close.toMillis(),
    nyOffsetMinutes: open.offset,
  };
}

/** yyyy-MM-dd → yyyyMMdd (FIX LocalMktDate). */
export function fixDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}
