import { DateTime } from 'luxon';
import { CheckFailure, quoteValue } from '../violation';
import { scratch } from './temporal';

// Luxon patterns (contract formats that are not built in). Luxon is used here, per value,
// because a pattern is arbitrary; it reads to the millisecond at most.
//
// Zone rules for a pattern (documented in lib/contracts/README.md):
// - a pattern with an offset/zone token (Z, ZZ, ZZZ, z): the text carries its zone;
// - a pattern without one, in a timestamp_tz column: the text is the wall-clock time in the
//   column's zone (the pattern states the text has no zone, the contract states which one). A wall
//   time that does not exist in that zone (DST gap) is format_invalid; an ambiguous one (DST
//   overlap) takes luxon's choice, the earlier instant (the first occurrence, daylight time).
// - date and timestamp columns read the wall-clock fields as written (zone tokens are converted to UTC).

/** Reads `text` with `pattern` into scratch as a UTC instant (or naive fields). */
export function readPattern(text: string, pattern: string, zone: string, interpretInZone: boolean): CheckFailure | null {
  const wall = DateTime.fromFormat(text, pattern, { zone: 'UTC', setZone: true });
  if (!wall.isValid) {
    const reason = wall.invalidReason === 'unit out of range' ? 'is not a real date or time' : `does not match the pattern "${pattern}"`;
    return new CheckFailure('format_invalid', `${quoteValue(text)} ${reason}`);
  }
  let dt: DateTime = wall;
  if (interpretInZone && zone !== 'UTC') {
    dt = wall.setZone(zone, { keepLocalTime: true });
    if (!dt.isValid || dt.hour !== wall.hour || dt.minute !== wall.minute || dt.day !== wall.day) {
      return new CheckFailure('format_invalid', `${quoteValue(text)} does not exist in ${zone} (a daylight-saving gap)`);
    }
  }
  const u = dt.toUTC();
  if (u.year < 1 || u.year > 9999) return new CheckFailure('format_invalid', `${quoteValue(text)} is outside years 0001–9999`);
  scratch.y = u.year;
  scratch.mo = u.month;
  scratch.d = u.day;
  scratch.h = u.hour;
  scratch.mi = u.minute;
  scratch.s = u.second;
  scratch.frac6 = String(u.millisecond).padStart(3, '0') + '000';
  scratch.hasOffset = true;
  scratch.offsetMin = 0;
  return null;
}
