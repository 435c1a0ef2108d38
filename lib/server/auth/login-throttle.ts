// Slows password guessing: after FREE_FAILURES failed logins for one username within WINDOW_MS,
// each further attempt must wait (doubling, capped at MAX_DELAY_MS) — answered 429 without
// checking the password. In memory, per server process (the server is the only one).

const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
const MAX_TRACKED = 10_000;

interface Failures {
  count: number;
  first: number;
  last: number;
}

const failures = new Map<string, Failures>();

function key(username: string): string {
  return username.toLowerCase();
}

/** Milliseconds the caller must still wait before trying this username again (0: go ahead). */
export function loginRetryAfterMs(username: string, now = Date.now()): number {
  const f = failures.get(key(username));
  if (!f || now - f.first > WINDOW_MS) return 0;
  if (f.count < FREE_FAILURES) return 0;
  const delay = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (f.count - FREE_FAILURES));
  return Math.max(0, f.last + delay - now);
}

export function recordLoginFailure(username: string, now = Date.now()): void {
  const k = key(username);
  const f = failures.get(k);
  if (!f || now - f.first > WINDOW_MS) {
    if (failures.size >= MAX_TRACKED) failures.delete(failures.keys().next().value as string);
    failures.set(k, { count: 1, first: now, last: now });
  } else {
    f.count++;
    f.last = now;
  }
}

export function recordLoginSuccess(username: string): void {
  failures.delete(key(username));
}
