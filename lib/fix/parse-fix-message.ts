import { decodeValue } from './fix-fields-json';
import { FIX_DELIMITERS, FixScanner, type FixDelimiterName, type FixScanEvents } from './fix-scanner';

// Pure helpers over one message's bytes (the drill-down shows a message from its stored byte
// span; tests use them too). Same framing and checks as the streaming parser.

export interface ParsedFixMessage {
  kind: 'message';
  beginString: string;
  msgType: string;
  delimiter: FixDelimiterName;
  /** Every field in order, duplicates kept. */
  fields: Array<[number, string]>;
  bodyLengthOk: boolean;
  checksumOk: boolean;
  checksumPresent: boolean;
  duplicateTags: number[];
  groupErrors: string[];
  /** Byte span of the message within the input. */
  offset: number;
  length: number;
  line: number;
}

export interface FixParseProblem {
  kind: 'error';
  code: string;
  message: string;
  offset: number;
  length: number;
  line: number;
}


/** Collects messages and parse errors as plain objects (a class, not closures: see fix-scanner's hot path). */
class MessageCollector implements FixScanEvents {
  readonly out: Array<ParsedFixMessage | FixParseProblem> = [];
  scanner!: FixScanner;

  onMessage(s: FixScanner): void {
    const fields: Array<[number, string]> = [];
    for (let k = 0; k < s.nFields; k++) fields.push([s.tags[k], decodeValue(s, k)]);
    this.out.push({
      kind: 'message',
      beginString: fields[0][1],
      msgType: decodeValue(s, s.msgTypeIndex),
      delimiter: FIX_DELIMITERS[s.delimiter].name,
      fields,
      bodyLengthOk: s.bodyLengthOk,
      checksumOk: s.checksumOk,
      checksumPresent: s.checksumPresent,
      duplicateTags: [...s.duplicateTags],
      groupErrors: [...s.groupErrors],
      offset: s.offsetOf(s.msgStart),
      length: s.msgEnd - s.msgStart,
      line: s.msgLine,
    });
  }

  onError(code: string, message: string, start: number, end: number, line: number): void {
    this.out.push({ kind: 'error', code, message, offset: this.scanner.offsetOf(start), length: end - start, line });
  }
}

/** Every message and parse error found in the bytes, in order. */
export function parseFixMessages(input: Uint8Array | string): Array<ParsedFixMessage | FixParseProblem> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const collector = new MessageCollector();
  const scanner = new FixScanner(collector);
  collector.scanner = scanner;
  scanner.push(bytes);
  scanner.finish();
  return collector.out;
}

/** The first message (or parse error) in the bytes; null when there is none. */
export function parseFixMessage(input: Uint8Array | string): ParsedFixMessage | FixParseProblem | null {
  return parseFixMessages(input)[0] ?? null;
}
