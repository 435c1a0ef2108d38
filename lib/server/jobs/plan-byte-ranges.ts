// Splitting a FIX file into byte ranges for parallel workers (issue 9).
//
// A split point is the first byte of a line that starts with `8=FIX`, where the line before ends
// with a CheckSum field (`<delim>10=<digits>[<delim>][CR]LF`): there the single-file scanner has
// finished a message and is at a line start, exactly like a fresh scanner on the range (whose
// "byte before" defaults to LF). Each range carries the line number and message index of its
// first byte, so line_number, message_index and __cf_row_id stay global:
// - baseLine = 1 + the LFs before the split point: exact (the scanner counts every LF, those
//   inside messages included);
// - baseMessageIndex = the `8=FIX` starts (not preceded by a digit) before it: the scanner's
//   message-start rule, but a garbled or truncated message, or `8=FIX` in a comment, is counted
//   here and is no message there. So the guess is checked after the run: range k must start at
//   the sum of the messages ranges 0..k-1 reported; a range that does not is run again with the
//   corrected base (run-ranged-attempt.ts). A range's message count does not depend on its base,
//   so one correction round is enough.
import { open, stat } from 'node:fs/promises';

export interface ByteRange {
  /** [start, end) in the file. */
  start: number;
  end: number;
  /** Line number of `start` (1-based). */
  baseLine: number;
  /** message_index of the first message of the range (a guess; see above). */
  baseMessageIndex: number;
}

const LF = 10;
const CR = 13;
const SOH = 1;
const PIPE = 0x7c;
const BEGIN = Buffer.from('8=FIX', 'latin1');
/** How far after a target offset a split point is looked for before giving up on that split. */
const SEARCH_WINDOW = 4 * 1024 * 1024;
const COUNT_CHUNK = 4 * 1024 * 1024;

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}

/** Does the line ending at buf[lf] (an LF) end with a CheckSum field? */
function endsWithChecksum(buf: Buffer, lf: number, from: number): boolean {
  let e = lf - 1;
  if (e >= from && buf[e] === CR) e--;
  if (e >= from && (buf[e] === SOH || buf[e] === PIPE)) e--;
  let digits = 0;
  while (e >= from && isDigit(buf[e])) {
    e--;
    digits++;
  }
  if (digits === 0 || e - 3 < from) return false;
  return buf[e] === 0x3d && buf[e - 1] === 0x30 && buf[e - 2] === 0x31 && (buf[e - 3] === SOH || buf[e - 3] === PIPE);
}

/** The first split point at or after `target` (within the search window), or null. */
async function splitPointFrom(fd: Awaited<ReturnType<typeof open>>, target: number, size: number): Promise<number | null> {
  const from = Math.max(0, target - 64);
  const length = Math.min(size - from, SEARCH_WINDOW + 64);
  if (length <= 0) return null;
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await fd.read(buf, 0, length, from);
  const view = buf.subarray(0, bytesRead);
  for (let lf = view.indexOf(LF, target - from - 1 < 0 ? 0 : target - from - 1); lf >= 0; lf = view.indexOf(LF, lf + 1)) {
    const s = lf + 1;
    if (s + BEGIN.length > view.length) return null;
    if (from + s < target) continue;
    if (view.compare(BEGIN, 0, BEGIN.length, s, s + BEGIN.length) === 0 && endsWithChecksum(view, lf, 0)) return from + s;
  }
  return null;
}

/** LFs and message starts in [start, end). */
async function countBetween(fd: Awaited<ReturnType<typeof open>>, start: number, end: number): Promise<{ lines: number; messages: number }> {
  let lines = 0;
  let messages = 0;
  const buf = Buffer.allocUnsafe(COUNT_CHUNK + 8);
  for (let a = start; a < end; a += COUNT_CHUNK) {
    const b = Math.min(end, a + COUNT_CHUNK);
    // One byte before (the "not preceded by a digit" rule), four after (a start near b).
    const readFrom = Math.max(0, a - 1);
    const { bytesRead } = await fd.read(buf, 0, b + 4 - readFrom, readFrom);
    const view = buf.subarray(0, bytesRead);
    const lo = a - readFrom;
    const hi = b - readFrom;
    for (let i = view.indexOf(LF, lo); i >= 0 && i < hi; i = view.indexOf(LF, i + 1)) lines++;
    for (let i = view.indexOf(BEGIN, lo); i >= 0 && i < hi; i = view.indexOf(BEGIN, i + 1)) {
      const prev = i > 0 ? view[i - 1] : readFrom === 0 ? LF : view[i - 1];
      if (!isDigit(prev)) messages++;
    }
  }
  return { lines, messages };
}

/**
 * Up to `parts` ranges covering the whole file, split at message boundaries near equal sizes.
 * Fewer when no split point is found near a target (one range = the whole file).
 */
export async function planByteRanges(filePath: string, parts: number): Promise<ByteRange[]> {
  const size = (await stat(filePath)).size;
  const fd = await open(filePath, 'r');
  try {
    const points: number[] = [];
    for (let k = 1; k < parts; k++) {
      const target = Math.max(points.at(-1) ?? 1, Math.floor((size * k) / parts));
      const s = await splitPointFrom(fd, target, size);
      if (s !== null && s > (points.at(-1) ?? 0) && s < size) points.push(s);
    }
    const ranges: ByteRange[] = [];
    let start = 0;
    let baseLine = 1;
    let baseMessageIndex = 0;
    for (const end of [...points, size]) {
      ranges.push({ start, end, baseLine, baseMessageIndex });
      if (end === size) break;
      const c = await countBetween(fd, start, end);
      baseLine += c.lines;
      baseMessageIndex += c.messages;
      start = end;
    }
    return ranges;
  } finally {
    await fd.close();
  }
}
