import { Parser } from 'csv-parse';
import type { OutputBatch, ParseOptions, ParseSummary, ParserRow } from '../parser-types';
import { ByteWindow } from './byte-window';
import { CONFIRMATIONS_ERROR_OUTPUT, CONFIRMATIONS_OUTPUT } from './confirmations-intent';
import { bomLength, detectDelimiter, findHeaderLine, type CsvDelimiter } from './detect-delimiter';
import { PlainRecords, type HandOver } from './plain-records';
import { RecordSink } from './record-sink';

// Streams a confirmations CSV (RFC 4180, header row, UTF-8 with or without BOM) into rows of
// the `confirmations` output. Records of plain and well-quoted fields are split by
// plain-records.ts; a record it cannot split (a stray quote, say) goes to csv-parse, and the
// plain splitting takes over again just past that record, where csv-parse's state is that of a
// fresh parser. csv-parse runs with:
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

/**
 * One stretch of csv-parse between two stretches of plain splitting: it reads from a hand-over
 * until it has given one record; what it reads beyond that record is read again by the plain
 * splitting, so its further records and errors are not the sink's.
 */
interface CsvStretch {
  parser: Parser;
  /** Absolute offset just past the first record csv-parse gave; null until then. */
  endOfFirst: number | null;
}

/**
 * csv-parse from `baseOffset`. With `handsBack`, it is a stretch (CsvStretch) that ends after
 * its first record; without, it reads to the end of the input (the tests' reference reading).
 */
function createCsvParser(
  delimiter: CsvDelimiter, sink: RecordSink, baseOffset: number, bom: boolean, handsBack: boolean, stats: ReadingStats | undefined,
): CsvStretch {
  const stretch = { endOfFirst: null } as CsvStretch;
  stretch.parser = new Parser({
    bom,
    delimiter,
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    // Records are taken here, synchronously and in file order; nothing is pushed downstream.
    // context.bytes: offset just past the record in the bytes fed so far (BOM included).
    on_record: (record: string[], context) => {
      if (stretch.endOfFirst !== null) return null;
      const end = baseOffset + context.bytes;
      sink.onRecord(record, end);
      if (stats) stats.csvParseRecords++;
      if (handsBack) stretch.endOfFirst = end;
      return null;
    },
  });
  stretch.parser.on('error', (err: Error) => {
    // Past the stretch's first record the bytes are the plain splitting's to read again.
    if (stretch.endOfFirst !== null) return;
    // An event handler must not throw (it would crash the process): a failure to describe the
    // error still stops reading.
    try {
      sink.onFatal(err);
    } catch {
      sink.stopped = true;
    }
  });
  stretch.parser.resume();
  return stretch;
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
  window: ByteWindow;
  /** The plain splitting (plain-records.ts); null while csv-parse reads a record it handed over. */
  plain: PlainRecords | null;
  /** csv-parse, from a record the plain splitting handed over; null while the plain splitting reads. */
  csv: CsvStretch | null;
  delimiter: CsvDelimiter;
  hasBom: boolean;
  stats: ReadingStats | undefined;
}

function startPlain(session: Session, from: number, bomBytes: number): void {
  session.csv = null;
  session.plain = new PlainRecords(from, session.delimiter.charCodeAt(0), bomBytes, (cells, end) => session.sink.onRecord(cells, end));
}

/**
 * The plain splitting takes over again at `from` (just past a stretch's record) with the bytes
 * read since: the window keeps them, since the sink releases bytes only up to a record's start.
 * Returns what it hands over of them; with `final` (the input has ended) its last record too.
 */
function resumePlain(session: Session, from: number, final: boolean): HandOver | null {
  startPlain(session, from, 0);
  const handOver = session.plain!.push(session.window.slice(from, session.window.endOffset));
  return handOver ?? (final ? session.plain!.end() : null);
}

/**
 * csv-parse takes over at `handOver` (a BOM is its to remove only at the input's start) and reads
 * the record there; the plain splitting then takes over again just past it. Repeats while the
 * bytes after it hold another record the plain splitting hands over. With `final`, the input has
 * ended: each stretch is ended too.
 */
async function readWithCsvParse(session: Session, first: HandOver, baseOffset: number, final: boolean): Promise<void> {
  let handOver: HandOver | null = first;
  while (handOver !== null && !session.sink.stopped) {
    session.plain = null;
    const stretch = createCsvParser(session.delimiter, session.sink, handOver.from, handOver.from === baseOffset, true, session.stats);
    session.csv = stretch;
    await writeTo(stretch.parser, handOver.rest);
    if (final && stretch.endOfFirst === null && !session.sink.stopped) await endParser(stretch.parser);
    if (stretch.endOfFirst === null) return; // the record continues in bytes not read yet
    handOver = resumePlain(session, stretch.endOfFirst, final);
  }
}

/** Takes the records of the next bytes: the plain way while it lasts, csv-parse for what it hands over. */
async function feed(session: Session, chunk: Uint8Array, baseOffset: number): Promise<void> {
  if (session.plain !== null) {
    const handOver = session.plain.push(chunk);
    if (handOver !== null) await readWithCsvParse(session, handOver, baseOffset, false);
  } else if (session.csv !== null) {
    const stretch = session.csv;
    await writeTo(stretch.parser, chunk);
    if (stretch.endOfFirst === null) return;
    const handOver = resumePlain(session, stretch.endOfFirst, false);
    if (handOver !== null) await readWithCsvParse(session, handOver, baseOffset, false);
  }
}

/** The end of the input: the plain splitter's last record, or csv-parse's end, and what follows them. */
async function finish(session: Session, baseOffset: number): Promise<void> {
  if (session.plain !== null) {
    const handOver = session.plain.end();
    session.plain = null;
    if (handOver !== null) await readWithCsvParse(session, handOver, baseOffset, true);
    return;
  }
  const stretch = session.csv;
  if (stretch === null || session.sink.stopped) return;
  await endParser(stretch.parser);
  if (stretch.endOfFirst === null || session.sink.stopped) return;
  const handOver = resumePlain(session, stretch.endOfFirst, true);
  if (handOver !== null) await readWithCsvParse(session, handOver, baseOffset, true);
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
  how: ReadingMode,
): Promise<Session | null> {
  const line = findHeaderLine(head, final || head.length >= HEADER_SCAN_LIMIT);
  if (line === null) return null;
  const delimiter = detectDelimiter(head.subarray(line.start, line.end));
  const sink = new RecordSink({ window, delimiter, baseOffset, baseMessageIndex });
  const bom = bomLength(head);
  const session: Session = { sink, window, plain: null, csv: null, delimiter, hasBom: bom > 0, stats: how.stats };
  if (isUtf16Bom(head)) {
    // fileError stops the sink: nothing more is read.
    sink.fileError('csv.unsupported_encoding', 'the file starts with a UTF-16 byte order mark; confirmations must be UTF-8', baseOffset, baseOffset + 2);
    return session;
  }
  if (how.plainRecords) startPlain(session, baseOffset, bom);
  else session.csv = createCsvParser(delimiter, sink, baseOffset, true, false, how.stats);
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

/** How the tests read: csv-parse for every record (plainRecords false), and what csv-parse read. */
export interface ReadingMode {
  plainRecords: boolean;
  /** Counted while reading, when given. */
  stats?: ReadingStats;
}

export interface ReadingStats {
  /** Records csv-parse gave (the rest were split by plain-records.ts). */
  csvParseRecords: number;
}

/** parseConfirmations, or (plainRecords false) csv-parse for every record: the tests compare the two. */
export async function* parseConfirmationsWith(
  input: AsyncIterable<Uint8Array>,
  options: ParseOptions,
  how: ReadingMode,
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
      session = await openSession(concat(head, headBytes), false, window, baseOffset, baseMessageIndex, how);
      if (session === null) continue;
    } else if (!session.sink.stopped) {
      await feed(session, chunk, baseOffset);
    }
    yield* drain(session.sink, batchSize, false);
    if (session.sink.stopped) break;
  }
  if (session === null && headBytes > 0) {
    session = await openSession(concat(head, headBytes), true, window, baseOffset, baseMessageIndex, how);
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
