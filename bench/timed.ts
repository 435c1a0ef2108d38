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
 * counted. A call that returns a number (the server's own milliseconds) adds `server` stats.
 */
export async function latency(requests: number, call: (i: number) => Promise<unknown>): Promise<LatencyStats> {
  await call(0);
  const times: number[] = [];
  const server: number[] = [];
  for (let i = 0; i < requests; i++) {
    const t = performance.now();
    const own = await call(i);
    times.push(performance.now() - t);
    if (typeof own === 'number') server.push(own);
  }
  return { ...stats(times), requests, ...(server.length === requests ? { server: stats(server) } : {}) };
}
