// Records split here instead of by csv-parse: those whose fields are each either unquoted
// without a '"', or enclosed in quotes (inner quotes doubled, line breaks and delimiters kept as
// text, the closing quote followed by the delimiter or the end of the record). For them RFC 4180 leaves nothing to
// interpret, and csv-parse spent 2.8 of the 6.5 CPU-s the confirmations worker took over 392k
// rows (its per-record bookkeeping, `info`, included). The first record that is anything else
// (a quote inside an unquoted field, text after a closing quote, a quote not closed at the end
// of the input, or a record longer than MAX_PLAIN_RECORD_BYTES) and everything after it go to
// csv-parse as before (parse-confirmations.ts), starting at that record's first byte, where
// csv-parse's state after a record terminator is the state of a fresh parser. What a record gives
// the sink is what csv-parse gives for it: the cells, each decoded as csv-parse decodes a field
// (Buffer UTF-8 text, so invalid bytes become U+FFFD the same way; a quoted field without its
// enclosing quotes and with each doubled quote made one), and the offset just past its
// terminator. test/parsers/confirmations-plain-records.test.ts compares the two on generated inputs.

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
    const delimiter = this.delimiter;
    let recordStart = 0;
    let ascii = true;
    let quoted = false;
    // At the first byte of a field (a quote there opens a quoted field). The BOM of the first
    // record is not part of its first field.
    let fieldStart = true;
    let i = this.bomLeft > 0 ? Math.min(this.bomLeft, n) : 0;
    scanning: while (i < n) {
      const b = buf[i];
      if (b === LF || b === CR) {
        let next = i + 1;
        if (b === CR) {
          // CRLF is one terminator: a CR at the end of what has been read waits for the next byte.
          if (next === n && !final) break;
          if (next < n && buf[next] === LF) next++;
        }
        this.emit(buf, recordStart, i, next, ascii, quoted);
        recordStart = next;
        i = next;
        ascii = true;
        quoted = false;
        fieldStart = true;
        continue;
      }
      if (b === QUOTE) {
        if (!fieldStart) return this.handOver(buf, recordStart);
        // A quoted field (line breaks and the delimiter are text in it): its closing quote (a
        // doubled quote is text), then the delimiter or the record's end. A record not read to
        // its end stays pending and is scanned again from its first byte when more arrives, so a
        // quote that ends what has been read may yet turn out doubled.
        let j = i + 1;
        for (;;) {
          if (j >= n) {
            if (final) return this.handOver(buf, recordStart);
            break scanning;
          }
          const c = buf[j];
          if (c === QUOTE) {
            if (j + 1 < n && buf[j + 1] === QUOTE) {
              j += 2;
              continue;
            }
            break;
          }
          if (c >= 0x80) ascii = false;
          j++;
        }
        const after = j + 1;
        if (after < n && buf[after] !== delimiter && buf[after] !== LF && buf[after] !== CR) return this.handOver(buf, recordStart);
        quoted = true;
        fieldStart = false;
        i = after;
        continue;
      }
      fieldStart = b === delimiter;
      if (b >= 0x80) ascii = false;
      i++;
    }
    // The last record, unterminated. csv-parse emits none for an input that is only a BOM.
    if (final && recordStart < n && !(recordStart === 0 && n <= this.bomLeft)) {
      this.emit(buf, recordStart, n, n, ascii, quoted);
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
  private emit(buf: Buffer, start: number, contentEnd: number, next: number, ascii: boolean, quoted: boolean): void {
    let from = start;
    if (this.bomLeft > 0) {
      from = Math.min(start + this.bomLeft, contentEnd);
      this.bomLeft = 0;
    }
    const encoding = ascii ? 'latin1' : 'utf8';
    let cells: string[];
    if (quoted) {
      cells = this.quotedCells(buf, from, contentEnd, encoding);
    } else if (ascii) {
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

  /**
   * The cells of a record scan() has checked: every quoted field is closed before `end` and
   * followed by the delimiter or the record's end. A quoted field's text is between its quotes,
   * each doubled quote made one ('"' is never part of a UTF-8 sequence, so decoding first gives
   * the same text as csv-parse, which decodes after).
   */
  private quotedCells(buf: Buffer, from: number, end: number, encoding: 'latin1' | 'utf8'): string[] {
    const cells: string[] = [];
    let k = from;
    for (;;) {
      if (k < end && buf[k] === QUOTE) {
        let j = k + 1;
        let doubled = false;
        // scan() found the closing quote before `end`; the bound only keeps a mistake finite.
        while (j < end && !(buf[j] === QUOTE && buf[j + 1] !== QUOTE)) {
          if (buf[j] === QUOTE) {
            doubled = true;
            j += 2;
          } else {
            j++;
          }
        }
        const text = buf.toString(encoding, k + 1, j);
        cells.push(doubled ? text.replaceAll('""', '"') : text);
        k = j + 1; // the delimiter, or the record's end
      } else {
        let j = k;
        while (j < end && buf[j] !== this.delimiter) j++;
        cells.push(buf.toString(encoding, k, j));
        k = j;
      }
      if (k >= end) return cells;
      k++; // the delimiter
      if (k === end) {
        cells.push('');
        return cells;
      }
    }
  }
}
