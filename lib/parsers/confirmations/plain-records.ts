// Records without a quote character, split here instead of by csv-parse: for them RFC 4180
// leaves nothing to interpret (cells end at the delimiter, records at LF, CRLF or a lone CR), and
// csv-parse spent 2.8 of the 6.5 CPU-s the confirmations worker took over 392k rows (its
// per-record bookkeeping, `info`, included). The first record that holds a '"' (or runs past
// MAX_PLAIN_RECORD_BYTES) and everything after it go to csv-parse as before
// (parse-confirmations.ts), starting at that record's first byte, where csv-parse's state after a
// record terminator is the state of a fresh parser. What a record gives the sink is what
// csv-parse gives for it: the cells, each decoded as csv-parse decodes a field (Buffer UTF-8
// text, so invalid bytes become U+FFFD the same way), and the offset just past its terminator.
// test/parsers/confirmations-plain-records.test.ts compares the two on generated inputs.

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** A longer quote-free record is left to csv-parse, which applies its own record size limit. */
export const MAX_PLAIN_RECORD_BYTES = 1 << 20;

/** Where the plain splitting stopped: csv-parse takes over at absolute offset `from` with `rest`. */
export interface HandOver {
  from: number;
  rest: Buffer;
}

export class PlainRecords {
  /** Bytes of the record in progress (from its first byte), not yet terminated. */
  private pending: Buffer = Buffer.alloc(0);
  /** Absolute offset of pending[0]. */
  private pendingStart: number;
  /** Bytes of a UTF-8 BOM at the very start, left out of the first record's cells (csv-parse `bom: true`). */
  private bomLeft: number;
  private readonly delimiterChar: string;

  constructor(
    start: number,
    private readonly delimiter: number,
    bomBytes: number,
    private readonly onRecord: (cells: string[], end: number) => void,
  ) {
    this.pendingStart = start;
    this.bomLeft = bomBytes;
    this.delimiterChar = String.fromCharCode(delimiter);
  }

  /** Splits what is complete; returns where csv-parse must take over, or null. */
  push(chunk: Uint8Array): HandOver | null {
    const incoming = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const buf = this.pending.length === 0 ? incoming : Buffer.concat([this.pending, incoming]);
    return this.scan(buf, false);
  }

  /** The end of the input: the last record, when it has no terminator. */
  end(): HandOver | null {
    return this.pending.length === 0 ? null : this.scan(this.pending, true);
  }

  private scan(buf: Buffer, final: boolean): HandOver | null {
    const n = buf.length;
    let recordStart = 0;
    let ascii = true;
    let i = 0;
    while (i < n) {
      const b = buf[i];
      if (b === LF || b === CR) {
        let next = i + 1;
        if (b === CR) {
          // CRLF is one terminator: a CR at the end of what has been read waits for the next byte.
          if (next === n && !final) break;
          if (next < n && buf[next] === LF) next++;
        }
        this.emit(buf, recordStart, i, next, ascii);
        recordStart = next;
        i = next;
        ascii = true;
        continue;
      }
      if (b === QUOTE) return this.handOver(buf, recordStart);
      if (b >= 0x80) ascii = false;
      i++;
    }
    // The last record, unterminated. csv-parse emits none for an input that is only a BOM.
    if (final && recordStart < n && !(recordStart === 0 && n <= this.bomLeft)) {
      this.emit(buf, recordStart, n, n, ascii);
      recordStart = n;
    }
    if (n - recordStart > MAX_PLAIN_RECORD_BYTES) return this.handOver(buf, recordStart);
    // A copy: the rest of a chunk must not keep the whole chunk alive.
    this.pending = recordStart === n ? Buffer.alloc(0) : Buffer.from(buf.subarray(recordStart));
    this.pendingStart += recordStart;
    return null;
  }

  private handOver(buf: Buffer, recordStart: number): HandOver {
    const out = { from: this.pendingStart + recordStart, rest: buf.subarray(recordStart) };
    this.pending = Buffer.alloc(0);
    this.pendingStart = out.from;
    return out;
  }

  /** One record: content [start, contentEnd), terminator up to `next` (relative to buf). */
  private emit(buf: Buffer, start: number, contentEnd: number, next: number, ascii: boolean): void {
    let from = start;
    if (this.bomLeft > 0) {
      from = Math.min(start + this.bomLeft, contentEnd);
      this.bomLeft = 0;
    }
    let cells: string[];
    if (ascii) {
      // Latin-1 of ASCII bytes is their text; one string split on the delimiter.
      cells = buf.toString('latin1', from, contentEnd).split(this.delimiterChar);
    } else {
      cells = [];
      let cellStart = from;
      for (let k = from; k < contentEnd; k++) {
        if (buf[k] === this.delimiter) {
          cells.push(buf.toString('utf8', cellStart, k));
          cellStart = k + 1;
        }
      }
      cells.push(buf.toString('utf8', cellStart, contentEnd));
    }
    this.onRecord(cells, this.pendingStart + next);
  }
}
