import { Parser } from 'csv-parse';
import type { OutputBatch, ParseOptions, ParseSummary, ParserRow } from '../parser-types';
import { ByteWindow } from './byte-window';
import { CONFIRMATIONS_ERROR_OUTPUT, CONFIRMATIONS_OUTPUT } from './confirmations-intent';
import { bomLength, detectDelimiter, findHeaderLine, type CsvDelimiter } from './detect-delimiter';
import { PlainRecords, type HandOver } from './plain-records';
import { RecordSink } from './record-sink';

// Streams a confirmations CSV (RFC 4180, header row, UTF-8 with or without BOM) into rows of
// the `confirmations` output. Records without a quote character are split by plain-records.ts
// until the first one that has one; from there csv-parse does the splitting. It runs with:
// - relax_column_count: a record with the wrong number of cells reaches us and becomes a
//   `csv.wrong_cell_count` error instead of stopping the stream;
// - relax_quotes: a stray quote does not open a field that swallows the following records;
//   `checkQuoting` then reports the record as `csv.bad_quoting`;
// - no casting: every cell stays the exact text of the file.
// Memory stays bounded: rows leave in batches, and the byte window keeps about one chunk.

/** How far to look for the end of the header line before detecting the delimiter anyway. */
const HEADER_SCAN_LIMIT = 1 << 20;
/** csv-parse stops on a record larger than this (characters); guards against an unclosed quote. */
const MAX_RECORD_CHARS = 4 << 20;

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function isUtf16Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
}

function createCsvParser(delimiter: CsvDelimiter, sink: RecordSink, baseOffset: number, bom: boolean): Parser {
  const parser = new Parser({
    bom,
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    // Records are taken here, synchronously and in file order; nothing is pushed downstream.
    // context.bytes: offset just past the record in the bytes fed so far (BOM included).
    on_record: (record: string[], context) => {
      sink.onRecord(record, baseOffset + context.bytes);
      return null;
    },
  });
  parser.on('error', (err: Error) => {
    // An event handler must not throw (it would crash the process): a failure to describe the
    // error still stops reading.
    try {
      sink.onFatal(err);
    } catch {
      sink.stopped = true;
    }
  });
  parser.resume();
  return parser;
}

function writeTo(parser: Parser, chunk: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    parser.write(chunk, () => resolve());
  });
}

function endParser(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    const done = () => resolve();
    parser.once('finish', done);
    parser.once('error', done);
    parser.once('close', done);
    parser.end();
  });
}

interface Session {
  sink: RecordSink;
  /** Quote-free records are split here (plain-records.ts) until the first record that is not. */
  plain: PlainRecords | null;
  /** csv-parse, from the first record the plain splitting handed over; null before that. */
  parser: Parser | null;
  delimiter: CsvDelimiter;
  hasBom: boolean;
}

/** csv-parse takes over from the plain splitting at `handOver` (a BOM is its to remove only at the input's start). */
async function handOverToCsvParse(session: Session, handOver: HandOver, baseOffset: number): Promise<void> {
  session.plain = null;
  session.parser = createCsvParser(session.delimiter, session.sink, handOver.from, handOver.from === baseOffset);
  if (!session.sink.stopped) await writeTo(session.parser, handOver.rest);
}

/** Takes the records of the next bytes: the plain way while it lasts, then csv-parse. */
async function feed(session: Session, chunk: Uint8Array, baseOffset: number): Promise<void> {
  if (session.plain !== null) {
    const handOver = session.plain.push(chunk);
    if (handOver !== null) await handOverToCsvParse(session, handOver, baseOffset);
  } else if (session.parser !== null) {
    await writeTo(session.parser, chunk);
  }
}

/** The end of the input: the plain splitter's last record, then csv-parse's end. */
async function finish(session: Session, baseOffset: number): Promise<void> {
  if (session.plain !== null) {
    const handOver = session.plain.end();
    session.plain = null;
    if (handOver !== null) await handOverToCsvParse(session, handOver, baseOffset);
  }
  if (session.parser !== null && !session.sink.stopped) await endParser(session.parser);
}

/**
 * Starts reading records once the header line is in `head` (or the input ended, `final`):
 * detects the delimiter from it and takes everything read so far. Returns null while the end
 * of the header line has not been read.
 */
async function openSession(
  head: Uint8Array,
  final: boolean,
  window: ByteWindow,
  baseOffset: number,
  baseMessageIndex: number,
  plainRecords: boolean,
): Promise<Session | null> {
  const line = findHeaderLine(head, final || head.length >= HEADER_SCAN_LIMIT);
  if (line === null) return null;
  const delimiter = detectDelimiter(head.subarray(line.start, line.end));
  const sink = new RecordSink({ window, delimiter, baseOffset, baseMessageIndex });
  const bom = bomLength(head);
  const session: Session = { sink, plain: null, parser: null, delimiter, hasBom: bom > 0 };
  if (isUtf16Bom(head)) {
    // fileError stops the sink: nothing more is read.
    sink.fileError('csv.unsupported_encoding', 'the file starts with a UTF-16 byte order mark; confirmations must be UTF-8', baseOffset, baseOffset + 2);
    return session;
  }
  if (plainRecords) session.plain = new PlainRecords(baseOffset, delimiter.charCodeAt(0), bom, (cells, end) => sink.onRecord(cells, end));
  else session.parser = createCsvParser(delimiter, sink, baseOffset, true);
  await feed(session, head, baseOffset);
  return session;
}

function* drain(sink: RecordSink, batchSize: number, final: boolean): Generator<OutputBatch> {
  while (sink.rows.length >= batchSize || (final && sink.rows.length > 0)) {
    yield { output: CONFIRMATIONS_OUTPUT, rows: sink.takeRows(batchSize) };
  }
  if (sink.errors.length > 0) yield { output: CONFIRMATIONS_ERROR_OUTPUT, rows: sink.takeErrors().map((e): ParserRow => ({ ...e })) };
}

export function parseConfirmations(input: AsyncIterable<Uint8Array>, options: ParseOptions = {}): AsyncGenerator<OutputBatch, ParseSummary, void> {
  return parseConfirmationsWith(input, options, { plainRecords: true });
}

/** parseConfirmations, or (plainRecords false) csv-parse for every record: the tests compare the two. */
export async function* parseConfirmationsWith(
  input: AsyncIterable<Uint8Array>,
  options: ParseOptions,
  how: { plainRecords: boolean },
): AsyncGenerator<OutputBatch, ParseSummary, void> {
  const baseOffset = options.baseOffset ?? 0;
  const baseMessageIndex = options.baseMessageIndex ?? 0;
  const batchSize = Math.max(1, options.batchSize ?? 4096);
  const window = new ByteWindow(baseOffset, options.baseLine ?? 1);
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let session: Session | null = null;

  for await (const chunk of input) {
    if (chunk.length === 0) continue;
    window.append(chunk);
    if (session === null) {
      head.push(chunk);
      headBytes += chunk.length;
      session = await openSession(concat(head, headBytes), false, window, baseOffset, baseMessageIndex, how.plainRecords);
      if (session === null) continue;
    } else if (!session.sink.stopped) {
      await feed(session, chunk, baseOffset);
    }
    yield* drain(session.sink, batchSize, false);
    if (session.sink.stopped) break;
  }
  if (session === null && headBytes > 0) {
    session = await openSession(concat(head, headBytes), true, window, baseOffset, baseMessageIndex, how.plainRecords);
  }
  let sink: RecordSink;
  if (session === null) {
    sink = new RecordSink({ window, delimiter: ',', baseOffset, baseMessageIndex });
    sink.fileError('csv.missing_header', 'the file is empty: a confirmations file starts with a header row', baseOffset, baseOffset);
  } else {
    sink = session.sink;
    if (!sink.stopped) await finish(session, baseOffset);
    if (sink.header === null && !sink.stopped) {
      sink.fileError('csv.missing_header', 'the file has no header row (only blank lines)', baseOffset, window.endOffset);
    }
  }
  yield* drain(sink, batchSize, true);
  return {
    format: 'csv',
    delimiter: session?.delimiter ?? null,
    messages: sink.validRecords,
    bytesRead: window.endOffset - baseOffset,
    rowsPerOutput: { [CONFIRMATIONS_OUTPUT]: sink.validRecords },
    parseErrors: { ...sink.errorCounts },
    details: {
      columns: sink.header?.columns ?? [],
      header_cells: sink.header?.raw ?? [],
      bom: session?.hasBom ?? false,
      data_records: sink.dataRecords,
      blank_lines: sink.blankLines,
    },
  };
}
