// The bytes of the input that the parser may still need: from the start of the record being
// processed to the end of what has been read. Gives each record's line number (lines end at
// LF, CRLF or a lone CR; csv-parse's own line counter counts a quoted CRLF twice) and its exact
// bytes (for quoting checks and parse-error text). Memory: released chunk by chunk as records
// complete, so it holds about one chunk plus the longest record.

const CR = 0x0d;
const LF = 0x0a;

export class ByteWindow {
  private chunks: Uint8Array[] = [];
  private chunkStarts: number[] = [];
  private end: number;
  /** Absolute offset up to which line breaks have been counted. */
  private cursor: number;
  private line: number;
  private prevWasCR = false;

  constructor(baseOffset: number, baseLine: number) {
    this.end = baseOffset;
    this.cursor = baseOffset;
    this.line = baseLine;
  }

  /** Absolute offset just past the last byte appended. */
  get endOffset(): number {
    return this.end;
  }

  append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.chunkStarts.push(this.end);
    this.end += chunk.length;
  }

  /** Line number of the byte at `offset`; offsets must be asked in non-decreasing order. */
  lineAt(offset: number): number {
    if (offset < this.cursor) throw new RangeError(`lineAt(${offset}) behind cursor ${this.cursor}`);
    const target = Math.min(offset, this.end);
    for (let c = 0; c < this.chunks.length && this.cursor < target; c++) {
      const chunk = this.chunks[c];
      const chunkStart = this.chunkStarts[c];
      const chunkEnd = chunkStart + chunk.length;
      if (chunkEnd <= this.cursor) continue;
      const to = Math.min(target, chunkEnd) - chunkStart;
      let line = this.line;
      let prevWasCR = this.prevWasCR;
      for (let i = this.cursor - chunkStart; i < to; i++) {
        const b = chunk[i];
        if (b === LF) {
          if (!prevWasCR) line++;
          prevWasCR = false;
        } else if (b === CR) {
          line++;
          prevWasCR = true;
        } else {
          prevWasCR = false;
        }
      }
      this.line = line;
      this.prevWasCR = prevWasCR;
      this.cursor = chunkStart + to;
    }
    return this.line;
  }

  /** The bytes [start, end) (a view when they lie in one chunk, a copy otherwise). */
  slice(start: number, end: number): Uint8Array {
    const from = Math.max(start, this.chunkStarts[0] ?? this.end);
    const to = Math.min(end, this.end);
    if (to <= from) return new Uint8Array(0);
    const parts: Uint8Array[] = [];
    for (let c = 0; c < this.chunks.length; c++) {
      const chunkStart = this.chunkStarts[c];
      const chunkEnd = chunkStart + this.chunks[c].length;
      if (chunkEnd <= from || chunkStart >= to) continue;
      parts.push(this.chunks[c].subarray(Math.max(from, chunkStart) - chunkStart, Math.min(to, chunkEnd) - chunkStart));
    }
    if (parts.length === 1) return parts[0];
    const out = new Uint8Array(to - from);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /** Forgets the chunks that end at or before `offset`. */
  release(offset: number): void {
    let drop = 0;
    while (drop < this.chunks.length - 1 && this.chunkStarts[drop] + this.chunks[drop].length <= offset) drop++;
    if (drop > 0) {
      this.chunks.splice(0, drop);
      this.chunkStarts.splice(0, drop);
    }
  }
}
