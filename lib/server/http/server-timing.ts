// Named parts of a request's server time, for its Server-Timing header (W3C): withRoute opens a
// collector per request and writes `app;dur=…` followed by each part measured with timePart(), so
// a browser's network panel (and the benchmark) shows where a slow answer spent its time, e.g.
// `app;dur=72.4, db;dur=41.0, raw;dur=28.3` for a drill-down. Outside a request, timePart only
// runs `fn`. Parts measured concurrently overlap: each is its own wall time, not a share of app.
import { AsyncLocalStorage } from 'node:async_hooks';

const parts = new AsyncLocalStorage<Map<string, number>>();

/** Runs `fn` with a fresh collector; returns its result and the parts measured inside it. */
export async function withServerTiming<T>(fn: () => Promise<T>): Promise<{ value: T; parts: Map<string, number> }> {
  const collected = new Map<string, number>();
  const value = await parts.run(collected, fn);
  return { value, parts: collected };
}

/** Adds the wall time of `fn` to the request's part `name` (a token: letters, digits, '_'). */
export async function timePart<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const collected = parts.getStore();
  if (!collected) return fn();
  const started = performance.now();
  try {
    return await fn();
  } finally {
    collected.set(name, (collected.get(name) ?? 0) + performance.now() - started);
  }
}

/** The header value: app first, then the parts in the order they were first measured. */
export function serverTimingHeader(appMs: number, measured: ReadonlyMap<string, number>): string {
  return [`app;dur=${appMs.toFixed(1)}`, ...[...measured].map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`)].join(', ');
}
