// Helpers of the load test's sessions: a big FIX log generator, percentiles and an RSS sampler.
// Its server is test/support/loopback-route-server.ts (the real App Router handlers on loopback).
import { closeSync, openSync, writeSync } from 'node:fs';
import { fixMessage } from './malformed-files';

/**
 * Writes a FIX log of `messages` order messages (NewOrderSingle then ExecutionReport per order,
 * ClOrdIDs `LOAD-<n>`, correct 9 and 10) in ~4 MB writes. Returns the byte size.
 */
export function writeBigFixLog(file: string, messages: number): number {
  const fd = openSync(file, 'w');
  let size = 0;
  let buf: string[] = [];
  let pending = 0;
  try {
    for (let i = 0; i < messages; i++) {
      const order = i >> 1;
      const sec = String(order % 60).padStart(2, '0');
      const ts = `20240301-10:${String((order >> 6) % 60).padStart(2, '0')}:${sec}.${String(order % 1000).padStart(3, '0')}`;
      const px = `${100 + (order % 900)}.${String(order % 10000).padStart(4, '0')}`;
      const common: [number, string][] = [[49, 'LOADBUY'], [56, 'LOADBRK'], [34, String(i + 1)], [52, ts], [11, `LOAD-${order}`], [55, 'LOADSYM'], [54, '1'], [38, '100'], [40, '2'], [44, px], [60, ts]];
      const msg =
        i % 2 === 0
          ? fixMessage([[35, 'D'], ...common])
          : fixMessage([[35, '8'], ...common, [37, `LO-${order}`], [17, `LX-${order}`], [150, '0'], [39, '0'], [14, '0'], [151, '100'], [6, '0']]);
      buf.push(msg, '\n');
      pending += msg.length + 1;
      if (pending >= 4 << 20) {
        size += writeSync(fd, buf.join(''), null, 'latin1');
        buf = [];
        pending = 0;
      }
    }
    if (buf.length > 0) size += writeSync(fd, buf.join(''), null, 'latin1');
  } finally {
    closeSync(fd);
  }
  return size;
}

/** Nearest-rank percentile of the values (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Samples this process's RSS every `everyMs` until stopped; `max` is the highest sample. */
export function sampleRss(everyMs = 100): { stop(): { max: number; samples: number } } {
  let max = process.memoryUsage.rss();
  let samples = 1;
  const t = setInterval(() => {
    const rss = process.memoryUsage.rss();
    samples++;
    if (rss > max) max = rss;
  }, everyMs);
  t.unref();
  return {
    stop() {
      clearInterval(t);
      const rss = process.memoryUsage.rss();
      return { max: Math.max(max, rss), samples: samples + 1 };
    },
  };
}
