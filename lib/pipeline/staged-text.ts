// The staged text format rows take on their way to Parquet (db/parquet reads it with DuckDB's
// read_csv): CSV with control characters as delimiter (US, 0x1F) and quote (RS, 0x1E).
// Canonical values and most text never contain them, so almost no value needs quoting (with ','
// and '"' the JSON `fields` column of every FIX row would). A value is quoted when it holds US,
// RS, CR or LF; RS inside a quoted value is doubled. NULL is an empty unquoted cell, the empty
// string is an empty quoted cell (read with allow_quoted_nulls = false). One row = one line + LF.
//
// Pure (no fs): lib/pipeline writes valid rows straight into this format (staged-valid-writer.ts)
// and hashes its bytes for result_hash; db/parquet/staging-text-format.ts re-exports it.

export const FIELD_DELIMITER = '\u001f';
export const QUOTE = '\u001e';
const NEEDS_QUOTING = /[\u001e\u001f\r\n]/;
const ALL_QUOTES = /\u001e/g;

/** Cell text of a non-empty string of a text (VARCHAR) column. */
export function encodeTextCell(value: string): string {
  if (value.length === 0) return QUOTE + QUOTE;
  return NEEDS_QUOTING.test(value) ? QUOTE + value.replace(ALL_QUOTES, QUOTE + QUOTE) + QUOTE : value;
}

/** One cell of staged text (without delimiter). */
export function encodeCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return encodeTextCell(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`sink.bad_number: ${value} cannot be staged`);
    return String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  // Lists and objects (e.g. a violation list) are stored as their JSON text.
  return encodeCell(JSON.stringify(value));
}

/** Text of a typed (non-VARCHAR) column: canonical values never hold US, RS, CR or LF. */
export function encodeCanonicalCell(value: unknown): string {
  if (typeof value === 'string') return value.length === 0 ? QUOTE + QUOTE : value;
  return encodeCell(value);
}

/** Whether a column of this DuckDB type is staged with the quoting scan (text) or as canonical text. */
export function isTextDuckdbType(duckdbType: string): boolean {
  return /^VARCHAR$/i.test(duckdbType.trim());
}

/**
 * Accumulates encoded lines in fixed-size Buffers. Writing each short line into a Buffer is
 * measured ~2× faster than concatenating a batch into one long string (V8 then flattens a deep
 * rope before it can encode it as UTF-8).
 */
export class LineBuffer {
  private buf: Buffer;
  private used = 0;
  /** Bytes of the longest line pushed so far, LF included (the reader's line-size bound). */
  longestLine = 0;
  constructor(private readonly capacity = 1 << 22) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  /** Appends `line` + LF; returns a full Buffer to write out when the current one had no room. */
  push(line: string): Buffer | null {
    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const worst = line.length * 3 + 1;
    let full: Buffer | null = null;
    if (this.used + worst > this.buf.length) {
      full = this.take();
      if (worst > this.buf.length) this.buf = Buffer.allocUnsafe(Math.max(this.capacity, worst));
    }
    const bytes = this.buf.write(line, this.used, 'utf8') + 1;
    this.used += bytes;
    this.buf[this.used - 1] = 0x0a;
    if (bytes > this.longestLine) this.longestLine = bytes;
    return full;
  }
  /** The bytes accumulated so far (possibly empty); the buffer starts over. */
  take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.used = 0;
    return out;
  }
  /** The bytes accumulated so far, without taking them (valid until the next push / take). */
  peek(): Buffer {
    return this.buf.subarray(0, this.used);
  }
  get size(): number {
    return this.used;
  }
}

/** Staged lines: whole lines, each ending in LF; how many, and the bytes of the longest (LF included). */
export interface StagedLines {
  bytes: Buffer;
  rows: number;
  longestLine: number;
  /** result_hash's block marks in `bytes` (StagedBuffer.mark), when the writer set any. */
  marks?: number[];
}

/**
 * Staged lines written byte by byte (the fused writer): a current Buffer and the completed
 * chunks. `reserve(n)` guarantees n free bytes, moving a full Buffer to `full` first; each
 * completed chunk ends at a line boundary, with the count of lines it holds. A writer that ends
 * a line updates `longest` (the reader sizes its buffers from it: see db/parquet).
 */
export class StagedBuffer {
  buf: Buffer;
  used = 0;
  /** Lines in `buf`. */
  rows = 0;
  /** Bytes of the longest line in `buf`, LF included. */
  longest = 0;
  /** Completed chunks not yet collected (see drainFull). */
  full: StagedLines[] = [];
  /**
   * result_hash's block marks in `buf` (result-hasher.ts): flat (offset, block) pairs; the row
   * written at `offset` and the rows after it are in `block`. Only rows that were written get one.
   */
  marks: number[] = [];
  /** The block of the last row marked (NaN before any). */
  block = Number.NaN;
  constructor(private readonly capacity = 1 << 22) {
    this.buf = Buffer.allocUnsafe(capacity);
  }
  reserve(n: number): Buffer {
    if (this.used + n > this.buf.length) {
      if (this.used > 0) this.full.push(this.chunk());
      this.buf = Buffer.allocUnsafe(Math.max(this.capacity, n));
      this.used = 0;
      this.rows = 0;
      this.longest = 0;
      this.marks = [];
    }
    return this.buf;
  }
  /** The row just written, which starts at `offset` of `buf`, is in `block` (and those after it, until the next mark). */
  mark(offset: number, block: number): void {
    this.marks.push(offset, block);
    this.block = block;
  }
  private chunk(): StagedLines {
    const c: StagedLines = { bytes: this.buf.subarray(0, this.used), rows: this.rows, longestLine: this.longest };
    if (this.marks.length > 0) c.marks = this.marks;
    return c;
  }
  drainFull(): StagedLines[] {
    const out = this.full;
    this.full = [];
    return out;
  }
  /** The current Buffer's lines (null when empty); the buffer starts over. */
  takeRest(): StagedLines | null {
    if (this.used === 0) return null;
    const chunk = this.chunk();
    this.buf = Buffer.allocUnsafe(this.capacity);
    this.used = 0;
    this.rows = 0;
    this.longest = 0;
    this.marks = [];
    return chunk;
  }
  /** The current Buffer's bytes, without taking them (valid until the next write). */
  peek(): Buffer {
    return this.buf.subarray(0, this.used);
  }
}

const US = 0x1f;
const LONG_TEXT = 48;
const RS = 0x1e;

/**
 * Writes the cell of a typed (non-VARCHAR) column's canonical text at `p`; returns the new end.
 * Canonical text is ASCII: one byte per char, no quoting scan. Anything else (a nested value's
 * JSON text) takes UTF-8 encoding. Worst case 3 bytes per char, 2 for the empty string.
 */
export function putCanonicalCell(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n === 0) {
    buf[p] = RS;
    buf[p + 1] = RS;
    return p + 2;
  }
  for (let j = 0; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c >= 0x80) return p - j + buf.write(s, p - j, 'utf8');
    buf[p++] = c;
  }
  return p;
}

/**
 * Writes the cell of a text (VARCHAR) value at `p` exactly as encodeTextCell + UTF-8 would;
 * returns the new end. ASCII without US/RS/CR/LF (nearly every value) is copied in the scan;
 * anything else is encoded by encodeTextCell. Worst case 3 bytes per char + 2.
 */
export function putTextCell(buf: Buffer, p: number, s: string): number {
  const n = s.length;
  if (n === 0) {
    buf[p] = RS;
    buf[p + 1] = RS;
    return p + 2;
  }
  // Long values (a FIX message's `fields` JSON): one regex scan and the native UTF-8 encoder
  // beat the per-char loop (measured ~10 % of the whole fused path on FIX order events), and
  // beat writing first and scanning the written bytes (measured 280 against 490 ns per
  // 330-char value).
  if (n > LONG_TEXT) return p + buf.write(NEEDS_QUOTING.test(s) ? encodeTextCell(s) : s, p, 'utf8');
  const start = p;
  for (let j = 0; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c >= 0x80 || c === US || c === RS || c === 0x0a || c === 0x0d) return start + buf.write(encodeTextCell(s), start, 'utf8');
    buf[p++] = c;
  }
  return p;
}
