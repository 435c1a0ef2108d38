import type { OutputBatch, ParseOptions, ParseSummary, ParserRow } from '../../lib/parsers/parser-types';
import { fixParser } from '../../lib/fix/index';

// Helpers for the FIX parser tests: bytes from readable text, and a full parse collected per output.

/** Text with '|' turned into SOH, as latin1 bytes. */
export function soh(text: string): Buffer {
  return Buffer.from(text.replace(/\|/g, '\x01'), 'latin1');
}

/** CheckSum of the bytes (sum mod 256, three digits). */
export function checksumOf(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i) & 0xff;
  return String(sum % 256).padStart(3, '0');
}

/** A SOH message with a correct 9 and 10 around the given body text ('|' = SOH). */
export function fixMsg(beginString: string, bodyWithPipes: string): string {
  const body = bodyWithPipes.replace(/\|/g, '\x01');
  const head = `8=${beginString}\x019=${Buffer.byteLength(body, 'latin1')}\x01`;
  return `${head}${body}10=${checksumOf(head + body)}\x01`;
}

export interface ParsedOutputs {
  orders: ParserRow[];
  sessions: ParserRow[];
  errors: ParserRow[];
  summary: ParseSummary;
  batches: OutputBatch[];
}

async function* chunked(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

/** Runs fixParser.parse over the bytes fed in chunks of `chunkSize` bytes. */
export async function parseAll(input: Uint8Array | string, chunkSize = 1 << 16, options?: ParseOptions): Promise<ParsedOutputs> {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const gen = fixParser.parse(chunked(bytes, Math.max(1, chunkSize)), options);
  const out: ParsedOutputs = { orders: [], sessions: [], errors: [], summary: undefined as unknown as ParseSummary, batches: [] };
  for (;;) {
    const r = await gen.next();
    if (r.done) {
      out.summary = r.value;
      return out;
    }
    out.batches.push(r.value);
    if (r.value.output === 'fix_order_events') out.orders.push(...r.value.rows);
    else if (r.value.output === 'fix_session_events') out.sessions.push(...r.value.rows);
    else if (r.value.output === 'fix_parse_errors') out.errors.push(...r.value.rows);
    else throw new Error(`unexpected output ${r.value.output}`);
  }
}

/** The bytes of a row's source span. */
export function spanOf(bytes: Uint8Array, row: ParserRow): string {
  const start = row.source_offset as number;
  return Buffer.from(bytes).subarray(start, start + (row.source_length as number)).toString('latin1');
}
