// CPU and wall time of one async step. CPU time is process.cpuUsage (every thread of the
// process, DuckDB's included): on a shared machine it is the figure that means something.
export interface Timed<T> {
  value: T;
  cpuSec: number;
  wallSec: number;
}

export async function timed<T>(fn: () => Promise<T>): Promise<Timed<T>> {
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { value, cpuSec: (used.user + used.system) / 1e6, wallSec: (performance.now() - wall) / 1000 };
}

/** p50 / p95 / p99 of a request kind, in milliseconds. */
export interface LatencyStats {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  requests: number;
  /** Over HTTP: the server's own time per request (its Server-Timing header), same requests. */
  server?: { p50_ms: number; p95_ms: number; p99_ms: number };
  /** Over HTTP: the named parts of the server's time (Server-Timing, e.g. db, raw), per part. */
  server_parts?: Record<string, { p50_ms: number; p95_ms: number; p99_ms: number }>;
  /** Every request's round trip and, over HTTP, the server's own time, in request order: shows whether a tail is the first requests or spread. */
  sequence_ms?: { total: number[]; server?: number[] };
}

/** What a timed HTTP call returns: the server's own ms and its named parts (Server-Timing). */
export interface ServerTime {
  app: number;
  parts: Record<string, number>;
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[i] * 100) / 100;
}

function stats(times: number[]): { p50_ms: number; p95_ms: number; p99_ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95), p99_ms: percentile(sorted, 99) };
}

/**
 * Calls `call(i)` for i in 0..requests-1, one at a time, after one warm-up call that is not
 * counted. A call that returns a ServerTime (the server's own milliseconds and their parts)
 * adds `server` and `server_parts` stats (a part missing from an answer counts as 0 ms);
 * `sequence` keeps every request's times as well.
 */
export async function latency(requests: number, call: (i: number) => Promise<unknown>, opts: { sequence?: boolean } = {}): Promise<LatencyStats> {
  await call(0);
  const times: number[] = [];
  const server: number[] = [];
  const parts = new Map<string, number[]>();
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const own = await call(i);
    times.push(performance.now() - t);
    if (isServerTime(own)) {
      server.push(own.app);
      for (const [name, ms] of Object.entries(own.parts)) {
        if (!parts.has(name)) parts.set(name, new Array<number>(server.length - 1).fill(0));
        parts.get(name)!.push(ms);
      }
      for (const list of parts.values()) if (list.length < server.length) list.push(0);
    }
  }
  const round = (list: number[]) => list.map((ms) => Math.round(ms * 10) / 10);
  const out: LatencyStats = { ...stats(times), requests };
  if (opts.sequence) out.sequence_ms = { total: round(times), ...(server.length === requests ? { server: round(server) } : {}) };
  if (server.length === requests) out.server = stats(server);
  if (server.length === requests && parts.size > 0) out.server_parts = Object.fromEntries([...parts].map(([name, list]) => [name, stats(list)]));
  return out;
}

function isServerTime(v: unknown): v is ServerTime {
  return typeof v === 'object' && v !== null && typeof (v as ServerTime).app === 'number' && typeof (v as ServerTime).parts === 'object';
}
