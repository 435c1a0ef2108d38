// Process accounting for the end-to-end benchmark, from /proc (Linux): the descendants of a
// process, their peak resident set (VmHWM) and CPU time. The server's workers are short-lived:
// they are sampled while they run, and report their own peak at exit (job metrics.workers).
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessPeak {
  pid: number;
  command: string;
  peak_rss_mb: number;
  /**
   * When the peak was reached: the first sample (every 250 ms) that saw it, in seconds from the
   * sampler's origin (the end-to-end run's first upload byte; negative before it). Places the
   * peak on the run's timeline (which step set it), within one sampling interval.
   */
  peak_at_s: number;
}

function readText(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** VmHWM of a live process in MB, or null. */
export function peakRssMb(pid: number): number | null {
  const status = readText(`/proc/${pid}/status`);
  const m = status && /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
}

/** utime + stime (own) and cutime + cstime (reaped children), in seconds. */
export function cpuSeconds(pid: number): { own: number; children: number } | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (!stat) return null;
  // Fields after the command (which may hold spaces) start after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const tick = 100; // USER_HZ on Linux
  return { own: (Number(f[11]) + Number(f[12])) / tick, children: (Number(f[13]) + Number(f[14])) / tick };
}

function commandOf(pid: number): string {
  const raw = readText(`/proc/${pid}/cmdline`);
  return raw ? raw.split('\0').filter(Boolean).map((a) => a.split('/').slice(-2).join('/')).join(' ').slice(0, 120) : '?';
}

/** Every live descendant of `root` (not root itself). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = readText(`/proc/${name}/stat`);
    if (!stat) continue;
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(name), Number(f[1]));
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [pid, pp] of parent) {
      if (pp === p) {
        out.push(pid);
        walk(pid);
      }
    }
  };
  walk(root);
  return out;
}

/** Samples the peak RSS of a process tree every `everyMs` (workers come and go). */
export class PeakSampler {
  private readonly peaks = new Map<number, ProcessPeak>();
  private timer: NodeJS.Timeout | null = null;
  private origin = performance.now();

  constructor(private readonly root: number) {}

  /** Times from now on are measured from this moment (peak_at_s). */
  setOrigin(at = performance.now()): void {
    const shift = (at - this.origin) / 1000;
    for (const p of this.peaks.values()) p.peak_at_s = Math.round((p.peak_at_s - shift) * 10) / 10;
    this.origin = at;
  }

  start(everyMs = 250): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  sample(): void {
    const atS = Math.round((performance.now() - this.origin) / 100) / 10;
    for (const pid of [this.root, ...descendants(this.root)]) {
      const mb = peakRssMb(pid);
      if (mb === null) continue;
      const known = this.peaks.get(pid);
      if (!known) this.peaks.set(pid, { pid, command: commandOf(pid), peak_rss_mb: mb, peak_at_s: atS });
      else if (mb > known.peak_rss_mb) Object.assign(known, { peak_rss_mb: mb, peak_at_s: atS });
    }
  }

  stop(): ProcessPeak[] {
    if (this.timer) clearInterval(this.timer);
    this.sample();
    return [...this.peaks.values()];
  }
}
