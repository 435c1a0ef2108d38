import type { FixScanner } from './fix-scanner';

// Value decoding, and the `fields` column (every tag=value of a message in order, as JSON
// [[tag,"value"],…]) which the scanner writes as bytes while it scans; decoded once here.

type FastBuffer = Buffer & {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
};

/**
 * Text of non-ASCII bytes: UTF-8 when they are valid UTF-8 (what most engines write into
 * Text), else latin1 (Windows-era logs), so no byte turns into U+FFFD.
 */
function decodeNonAscii(buf: FastBuffer, start: number, end: number): string {
  const text = buf.utf8Slice(start, end);
  if (!text.includes('\uFFFD') || buf.subarray(start, end).includes(UTF8_REPLACEMENT)) return text;
  return buf.latin1Slice(start, end);
}
const UTF8_REPLACEMENT = Buffer.from('\uFFFD', 'utf8');

/** The `fields` JSON the scanner wrote for its current message. */
export function fieldsJson(s: FixScanner): string {
  const view = s.json as FastBuffer;
  return s.valueBits & 0x80 ? decodeNonAscii(view, 0, s.jsonLength) : view.latin1Slice(0, s.jsonLength);
}

const INTERN_SLOTS = 4096;
const INTERN_MAX_BYTES = 16;
/** Slots of internedFor (row column slots are below this). */
export const LAST_SLOTS = 256;

/**
 * Per slot, the last value internedFor returned, as bytes and string. Most interned columns
 * repeat the previous message's value (comp ids, account, runs of a symbol), and a byte compare
 * with it is cheaper than the hash of the direct-mapped cache. Shared by every decoder of the
 * process (strings are immutable; each call reads and writes synchronously), so a new parse's
 * first message finds the values of the last one: a path taken only by first messages would
 * deoptimise the warm row code.
 */
const LAST_LENGTH = new Int32Array(LAST_SLOTS).fill(-1);
const LAST_BYTES = new Uint8Array(LAST_SLOTS * INTERN_MAX_BYTES);
const LAST_STRING: string[] = new Array<string>(LAST_SLOTS).fill('');

/**
 * Decodes values of the scanner's current message. In an ASCII message a value is a substring
 * of the fields JSON (decoded once per message anyway) unless JSON had to escape it; a message
 * with non-ASCII bytes decodes each value as UTF-8 (latin1 when not valid UTF-8).
 */
export class FixValueDecoder {
  private s!: FixScanner;
  private json: string | null = null;
  // Interning cache for short values of low-cardinality columns (comp ids, sides, statuses,
  // symbols, currencies): direct-mapped by a hash of the bytes, verified byte by byte, so a
  // repeated value is one shared string instead of a new one per row.
  private readonly cacheLength = new Int32Array(INTERN_SLOTS).fill(-1);
  private readonly cacheBytes = new Uint8Array(INTERN_SLOTS * INTERN_MAX_BYTES);
  private readonly cacheString: string[] = new Array<string>(INTERN_SLOTS).fill('');

  load(s: FixScanner): void {
    this.s = s;
    this.json = null;
  }

  /** The message's `fields` JSON (decoded once; ASCII values are substrings of it). */
  fieldsJson(): string {
    if (this.json === null) this.json = fieldsJson(this.s);
    return this.json;
  }

  /** As value(), shared with earlier equal values when the value is short and ASCII. */
  interned(index: number): string {
    const s = this.s;
    const start = s.valueStart[index];
    const len = s.valueEnd[index] - start;
    // One-byte values are V8's cached single-character strings already.
    if (len <= 1 || len > INTERN_MAX_BYTES || s.valueBits & 0x80) return this.value(index);
    const buf = s.buf;
    let h = len;
    for (let k = 0; k < len; k++) h = (Math.imul(h, 31) + buf[start + k]) | 0;
    const slot = (h ^ (h >>> 13)) & (INTERN_SLOTS - 1);
    const bytes = this.cacheBytes;
    const at = slot * INTERN_MAX_BYTES;
    if (this.cacheLength[slot] === len) {
      let k = 0;
      while (k < len && bytes[at + k] === buf[start + k]) k++;
      if (k === len) return this.cacheString[slot];
    }
    const str = this.value(index);
    for (let k = 0; k < len; k++) bytes[at + k] = buf[start + k];
    this.cacheLength[slot] = len;
    this.cacheString[slot] = str;
    return str;
  }

  // Per caller slot (a row column), the last value returned by internedFor (module tables,
  // shared by every decoder of the process: see LAST_LENGTH).
  private readonly lastLength = LAST_LENGTH;
  private readonly lastBytes = LAST_BYTES;
  private readonly lastString = LAST_STRING;

  /**
   * As interned(), first compared with the last value of the same slot (slot < LAST_SLOTS).
   * Callers pass only ASCII values of 2..INTERN_MAX_BYTES bytes.
   */
  internedFor(slot: number, index: number): string {
    const s = this.s;
    const start = s.valueStart[index];
    const len = s.valueEnd[index] - start;
    if (len > INTERN_MAX_BYTES) return this.interned(index);
    const buf = s.buf;
    const bytes = this.lastBytes;
    const at = slot * INTERN_MAX_BYTES;
    if (this.lastLength[slot] === len) {
      let k = 0;
      while (k < len && bytes[at + k] === buf[start + k]) k++;
      if (k === len) return this.lastString[slot];
    }
    const str = this.interned(index);
    for (let k = 0; k < len; k++) bytes[at + k] = buf[start + k];
    this.lastLength[slot] = len;
    this.lastString[slot] = str;
    return str;
  }

  value(index: number): string {
    const s = this.s;
    if (s.valueBits & 0x80) return decodeNonAscii(s.buf as FastBuffer, s.valueStart[index], s.valueEnd[index]);
    const end = s.jsonValueEnd[index];
    if (end < 0) return (s.buf as FastBuffer).latin1Slice(s.valueStart[index], s.valueEnd[index]);
    return this.fieldsJson().slice(s.jsonValueStart[index], end);
  }
}

/** Decodes one value (see FixValueDecoder for the encoding rule). */
export function decodeValue(s: FixScanner, index: number): string {
  const buf = s.buf as FastBuffer;
  return s.valueBits & 0x80
    ? decodeNonAscii(buf, s.valueStart[index], s.valueEnd[index])
    : buf.latin1Slice(s.valueStart[index], s.valueEnd[index]);
}
