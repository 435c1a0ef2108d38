import type { OutputBatch, ParseOptions, ParseSummary, ParserRow } from '../parsers/parser-types';
import { FIX_OUTPUTS } from './fix-output-columns';
import { MSG_TYPE_CODES, MSG_TYPE_ROUTE, msgTypeCode, ROUTE_ORDER, ROUTE_SESSION, routeOfText } from './fix-msg-type-codes';
import { FixRowBuilder } from './fix-row-builder';
import { FIX_DELIMITERS, FixScanner, type FixScanEvents } from './fix-scanner';

// The fix parser's streaming loop: chunks in, batches of rows out, the summary at the end.
// Every message gets a message_index (session messages and messages that go to no output
// included); parse errors do not consume one.

// Module constants: the per-message path must not go through import bindings.
const ROUTE = MSG_TYPE_ROUTE;
const codeOf = msgTypeCode;
const SESSION = ROUTE_SESSION;
const ORDER = ROUTE_ORDER;

/** Raw text kept per parse error. */
export const MAX_ERROR_RAW_BYTES = 1024;

type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * One string per MsgType code, shared by every parse of the process (strings are immutable):
 * the first message of each type in a new parse then takes no path that only a first message
 * takes, which would deoptimise the warm per-message code of an earlier parse.
 */
const MSG_TYPE_STRINGS: (string | undefined)[] = new Array<string | undefined>(MSG_TYPE_CODES).fill(undefined);

/** The BeginString of the last run of messages counted by any parse of the process. */
let lastCountedBeginString = '';

const PLACEHOLDER_ROW: ParserRow = {};

/**
 * An empty rows array already in the elements kind of objects: a fresh `[]` starts as small
 * integers and its first push changes its kind, which deoptimised onMessage (and, when it was
 * inlined, the framer) whenever a drain handed out the array and started a new one.
 */
function newRows(): ParserRow[] {
  const rows = [PLACEHOLDER_ROW];
  rows.pop();
  return rows;
}

class FixStreamCollector implements FixScanEvents {
  readonly scanner: FixScanner;
  private readonly rows = new FixRowBuilder();
  private messageIndex: number;
  private readonly batchSize: number;

  orderRows: ParserRow[] = newRows();
  sessionRows: ParserRow[] = newRows();
  errorRows: ParserRow[] = newRows();

  messages = 0;
  bytesRead = 0;
  private orderRowCount = 0;
  private sessionRowCount = 0;
  private errorRowCount = 0;
  private readonly parseErrors = new Map<string, number>();
  /** Counts per MsgType code; the string of each code seen; other MsgTypes by text. */
  private readonly msgTypeCounts = new Int32Array(MSG_TYPE_CODES);
  private readonly msgTypeStrings = MSG_TYPE_STRINGS;
  private readonly otherMsgTypes = new Map<string, number>();
  private readonly beginStrings = new Map<string, number>();
  /** Starts at the process's last BeginString (count 0): a new parse's first message is not a special path. */
  private lastBeginString = lastCountedBeginString;
  private lastBeginCount = 0;
  private readonly delimiterCounts = FIX_DELIMITERS.map(() => 0);
  private bodyLengthMismatch = 0;
  private checksumMismatch = 0;
  private missingChecksum = 0;
  private duplicateTagMessages = 0;
  private groupErrorMessages = 0;

  constructor(options: ParseOptions) {
    this.scanner = new FixScanner(this, options.baseOffset ?? 0, options.baseLine ?? 1);
    this.messageIndex = options.baseMessageIndex ?? 0;
    this.batchSize = Math.max(1, options.batchSize ?? 4096);
  }

  onMessage(s: FixScanner): void {
    const index = this.messageIndex++;
    this.messages++;
    const b = this.rows;
    b.load(s);
    const code = codeOf(s);
    let msgType: string;
    let route: number;
    if (code >= 0) {
      // One string per MsgType for the whole run: rows share it.
      msgType = this.msgTypeStrings[code] ??= b.msgType();
      this.msgTypeCounts[code]++;
      route = ROUTE[code];
    } else {
      msgType = b.msgType();
      this.otherMsgTypes.set(msgType, (this.otherMsgTypes.get(msgType) ?? 0) + 1);
      route = routeOfText(msgType);
    }
    const beginString = b.beginString();
    this.countBeginString(beginString);
    this.delimiterCounts[s.delimiter]++;
    if (!s.bodyLengthOk) this.bodyLengthMismatch++;
    if (!s.checksumPresent) this.missingChecksum++;
    else if (!s.checksumOk) this.checksumMismatch++;
    if (s.duplicateTags.length) this.duplicateTagMessages++;
    if (s.groupErrors.length) this.groupErrorMessages++;
    if (route === SESSION) {
      this.sessionRows.push(b.sessionRow(beginString, msgType, index, s.base));
      this.sessionRowCount++;
    } else if (route === ORDER || b.hasOrderKeys()) {
      this.orderRows.push(b.orderRow(beginString, msgType, index, s.base));
      this.orderRowCount++;
    }
  }

  /** Counts BeginStrings; a run of equal ones costs a string comparison, not a Map update. */
  private countBeginString(beginString: string): void {
    if (beginString === this.lastBeginString) {
      this.lastBeginCount++;
      return;
    }
    this.flushBeginString();
    this.lastBeginString = lastCountedBeginString = beginString;
    this.lastBeginCount = 1;
  }

  private flushBeginString(): void {
    if (this.lastBeginCount > 0) {
      this.beginStrings.set(this.lastBeginString, (this.beginStrings.get(this.lastBeginString) ?? 0) + this.lastBeginCount);
    }
    this.lastBeginCount = 0;
  }

  private msgTypeSummary(): Record<string, number> {
    const out: Record<string, number> = {};
    this.msgTypeStrings.forEach((type, code) => {
      if (type !== undefined && this.msgTypeCounts[code] > 0) out[type] = this.msgTypeCounts[code];
    });
    for (const [type, n] of this.otherMsgTypes) out[type] = (out[type] ?? 0) + n;
    return out;
  }

  onError(code: string, message: string, start: number, end: number, line: number): void {
    const buf = this.scanner.buf as FastBuffer;
    this.errorRows.push({
      code,
      message,
      raw: buf.latin1Slice(start, Math.min(end, start + MAX_ERROR_RAW_BYTES)),
      line_number: line,
      source_offset: this.scanner.offsetOf(start),
      source_length: end - start,
    });
    this.parseErrors.set(code, (this.parseErrors.get(code) ?? 0) + 1);
    this.errorRowCount++;
  }

  /** Batches ready to go out: full ones, or everything when the input has ended. */
  *drain(all: boolean): Generator<OutputBatch> {
    const size = this.batchSize;
    for (const [output, key] of [
      [FIX_OUTPUTS.orderEvents, 'orderRows'],
      [FIX_OUTPUTS.sessionEvents, 'sessionRows'],
      [FIX_OUTPUTS.parseErrors, 'errorRows'],
    ] as const) {
      const rows = this[key];
      if (rows.length === 0 || (!all && rows.length < size)) continue;
      this[key] = newRows();
      for (let i = 0; i < rows.length; i += size) {
        const part = rows.length <= size ? rows : rows.slice(i, i + size);
        yield { output, rows: part };
      }
    }
  }

  summary(): ParseSummary {
    this.flushBeginString();
    const used = FIX_DELIMITERS.filter((_, i) => this.delimiterCounts[i] > 0).map((d) => d.name);
    return {
      format: 'fix',
      delimiter: used.length === 0 ? null : used.length === 1 ? used[0] : 'mixed',
      messages: this.messages,
      bytesRead: this.bytesRead,
      rowsPerOutput: {
        [FIX_OUTPUTS.orderEvents]: this.orderRowCount,
        [FIX_OUTPUTS.sessionEvents]: this.sessionRowCount,
        [FIX_OUTPUTS.parseErrors]: this.errorRowCount,
      },
      parseErrors: Object.fromEntries(this.parseErrors),
      details: {
        msg_types: this.msgTypeSummary(),
        integrity: {
          body_length_mismatch: this.bodyLengthMismatch,
          checksum_mismatch: this.checksumMismatch,
          missing_checksum: this.missingChecksum,
        },
        delimiter: used.length === 1 ? used[0] : used.length === 0 ? null : 'mixed',
        delimiters: Object.fromEntries(FIX_DELIMITERS.map((d, i) => [d.name, this.delimiterCounts[i]]).filter(([, n]) => n)),
        begin_strings: Object.fromEntries(this.beginStrings),
        duplicate_tag_messages: this.duplicateTagMessages,
        group_error_messages: this.groupErrorMessages,
      },
    };
  }
}

/** The fix parser's parse(): never throws on bad bytes (they become parse errors or flags). */
export async function* parseFixStream(
  input: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<OutputBatch, ParseSummary, void> {
  const c = new FixStreamCollector(options);
  for await (const chunk of input) {
    c.bytesRead += chunk.byteLength;
    c.scanner.push(chunk);
    yield* c.drain(false);
  }
  c.scanner.finish();
  yield* c.drain(true);
  return c.summary();
}
