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
