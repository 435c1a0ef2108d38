// The ceiling of the benchmarks (issue 9): read a FIX file and split every message into
// (tag, value) fields, nothing else. bench/parse.ts and the end-to-end benchmark measure their
// ratios against this one function, each on its own file and in its own run.
import { createReadStream } from 'node:fs';
import { timed } from './timed';

const CHUNK = 1 << 20;

type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * The ceiling: read + split into fields. Each message line is decoded once and split into
 * (tag number, value string) pairs in a reused array — the least a reader must do to hand
 * fields to anyone. No checks, no rows. With `bytesOnly`, only the field boundaries are found
 * (no strings): a lower bound on any reader's cost, printed for reference.
 */
export async function readAndSplit(file: string, bytesOnly: boolean): Promise<number> {
  let messages = 0;
  const tags = new Int32Array(1024);
  const values: string[] = new Array(1024).fill('');
  let carry: Buffer | null = null;
  for await (const chunk of createReadStream(file, { highWaterMark: CHUNK })) {
    const buf = (carry ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer)) as FastBuffer;
    let lineStart = 0;
    for (;;) {
      const lf = buf.indexOf(10, lineStart);
      if (lf < 0) break;
      const text = bytesOnly ? '' : buf.latin1Slice(lineStart, lf);
      let n = 0;
      let tag = 0;
      let valueStart = -1;
      for (let i = lineStart; i < lf; i++) {
        const b = buf[i];
        if (valueStart < 0) {
          if (b === 0x3d) valueStart = i + 1;
          else tag = tag * 10 + (b - 48);
        } else if (b === 1) {
          tags[n & 1023] = tag;
          if (!bytesOnly) values[n & 1023] = text.slice(valueStart - lineStart, i - lineStart);
          n++;
          if (tag === 10) messages++;
          tag = 0;
          valueStart = -1;
        }
      }
      lineStart = lf + 1;
    }
    carry = lineStart < buf.length ? buf.subarray(lineStart) : null;
  }
  return messages;
}

/** Best of two passes (the machine may be shared), per CPU-second of this process. */
export async function ceilingOf(file: string): Promise<{ messages: number; cpuSec: number; wallSec: number }> {
  const a = await timed(() => readAndSplit(file, false));
  const b = await timed(() => readAndSplit(file, false));
  const best = b.cpuSec < a.cpuSec ? b : a;
  return { messages: best.value, cpuSec: best.cpuSec, wallSec: best.wallSec };
}
