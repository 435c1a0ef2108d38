import type { ParseErrorRow, ParserRow } from '../parser-types';
import { ByteWindow } from './byte-window';
import { checkQuoting } from './check-quoting';
import { buildHeader, type Header } from './normalise-header';

// Turns the records csv-parse finds into output rows and parse errors. csv-parse gives each
// record's cells and the absolute byte offset just past it (`info.bytes`, BOM included); a
// record therefore spans [end of the previous record, its own end), which makes every span
// exact whatever the encoding of its text. The record terminator is left out of the span.

/** Parse-error text is capped; the span still covers the whole record. */
export const RAW_CAP_BYTES = 2048;

const CR = 0x0d;
const LF = 0x0a;
const QUOTE = '"';

export interface RecordSinkOptions {
  window: ByteWindow;
  delimiter: string;
  baseOffset: number;
  baseMessageIndex: number;
}

export class RecordSink {
  header: Header | null = null;
  /** Set when reading must stop: a refused header or an error csv-parse cannot recover from. */
  stopped = false;
  rows: ParserRow[] = [];
  errors: ParseErrorRow[] = [];
  validRecords = 0;
  dataRecords = 0;
  blankLines = 0;
  readonly errorCounts: Record<string, number> = {};

  private readonly window: ByteWindow;
  private readonly delimiterCode: number;
  private readonly baseMessageIndex: number;
  private recordStart: number;
  private readonly decoder = new TextDecoder('utf-8');

  constructor(opts: RecordSinkOptions) {
    this.window = opts.window;
    this.delimiterCode = opts.delimiter.charCodeAt(0);
    this.baseMessageIndex = opts.baseMessageIndex;
    this.recordStart = opts.baseOffset;
  }

  /** One record from csv-parse: its cells and the absolute offset just past its terminator. */
  onRecord(cells: string[], end: number): void {
    if (this.stopped) return;
    const start = this.recordStart;
    this.recordStart = end;
    const contentEnd = end - this.terminatorLength(start, end);
    if (contentEnd === start && cells.length === 1 && cells[0] === '') {
      this.blankLines++;
      return;
    }
    const line = this.window.lineAt(start);
    this.window.release(start);
    if (this.header === null) {
      this.header = buildHeader(cells);
      if (this.header.problems.length > 0) {
        for (const p of this.header.problems) this.error(p.code, `${p.message}; the file is not read`, start, contentEnd, line);
        this.stopped = true;
      }
      return;
    }
    this.dataRecords++;
    const columns = this.header.columns;
    if (cells.length !== columns.length) {
      this.error(
        'csv.wrong_cell_count',
        `record has ${cells.length} cell${cells.length === 1 ? '' : 's'}, the header has ${columns.length}`,
        start,
        contentEnd,
        line,
      );
      return;
    }
    // Under relax_quotes a badly quoted field always leaves a '"' in some cell, so only those
    // records need their bytes checked.
    if (cells.some((c) => c.includes(QUOTE))) {
      const problem = checkQuoting(this.window.slice(start, contentEnd), this.delimiterCode);
      if (problem !== null) {
        this.error('csv.bad_quoting', `broken quoting (${problem})`, start, contentEnd, line);
        return;
      }
    }
    const row: ParserRow = {};
    for (let i = 0; i < columns.length; i++) row[columns[i]] = cells[i];
    const index = this.baseMessageIndex + this.dataRecords - 1;
    row.line_number = line;
    row.message_index = index;
    row.source_offset = start;
    row.source_length = contentEnd - start;
    row.__cf_row_id = index + 1;
    this.rows.push(row);
    this.validRecords++;
  }

  /** An error csv-parse stops on (an unclosed quote at the end, an oversized record). */
  onFatal(err: Error & { code?: string }): void {
    if (this.stopped) return;
    this.stopped = true;
    const start = this.recordStart;
    const end = this.window.endOffset;
    const line = this.window.lineAt(start);
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      this.error('csv.bad_quoting', `a quoted field opened in the record at line ${line} is never closed`, start, end, line);
    } else if (err.code === 'CSV_MAX_RECORD_SIZE') {
      this.error('csv.record_too_large', `record at line ${line} exceeds the maximum record size; reading stopped`, start, end, line);
    } else {
      this.error('csv.unreadable', `${err.message.split('\n')[0]}; reading stopped`, start, end, line);
    }
  }

  /** A problem with the input as a whole (no header, unsupported encoding). */
  fileError(code: string, message: string, start: number, end: number): void {
    this.stopped = true;
    this.error(code, message, start, end, this.window.lineAt(start));
  }

  takeRows(max: number): ParserRow[] {
    return this.rows.length <= max ? this.rows.splice(0) : this.rows.splice(0, max);
  }

  takeErrors(): ParseErrorRow[] {
    return this.errors.splice(0);
  }

  private error(code: string, message: string, start: number, end: number, line: number): void {
    const bytes = this.window.slice(start, Math.min(end, start + RAW_CAP_BYTES));
    this.errors.push({
      code,
      message,
      raw: this.decoder.decode(bytes),
      line_number: line,
      source_offset: start,
      source_length: end - start,
    });
    this.errorCounts[code] = (this.errorCounts[code] ?? 0) + 1;
  }

  /** 2 for CRLF, 1 for LF or CR, 0 at the end of the input. */
  private terminatorLength(start: number, end: number): number {
    const tail = this.window.slice(Math.max(start, end - 2), end);
    const n = tail.length;
    if (n === 0) return 0;
    if (tail[n - 1] === LF) return n >= 2 && tail[n - 2] === CR ? 2 : 1;
    return tail[n - 1] === CR ? 1 : 0;
  }
}
