// Runs a parser in this (server) process over the start of a stored file: the bytes stream with
// readFileChunks, reading stops at a byte cap, and parsing stops as soon as every data output
// holds `maxRows` rows (or `shouldStop()` says so). Nothing is written anywhere.
import { readFileChunks } from '../../parsers/read-file-stream';
import type { ParseErrorRow, ParserDefinition, ParserRow } from '../../parsers/parser-types';

export interface SampleOptions {
  /** Rows kept per data output. */
  maxRows: number;
  /** Bytes read from the (decompressed) file at most. */
  maxBytes: number;
  /** Parse errors kept at most (all are counted). */
  maxErrors?: number;
  /** Asked between batches; true stops the parse (a backtest's stop button). */
  shouldStop?: () => boolean;
  /** The data outputs that must reach maxRows before parsing stops (default: all). */
  outputs?: readonly string[];
}

export interface ParsedSample {
  rows: Record<string, ParserRow[]>;
  errors: ParseErrorRow[];
  error_count: number;
  bytes_read: number;
  /** true when the sample ended before the end of the file (row cap, byte cap or stop). */
  truncated: boolean;
  stopped: boolean;
}

const CHUNK_BYTES = 64 * 1024;

async function* capped(input: AsyncIterable<Uint8Array>, maxBytes: number, seen: { bytes: number; capped: boolean }): AsyncIterable<Uint8Array> {
  for await (const chunk of input) {
    const room = maxBytes - seen.bytes;
    if (room <= 0) {
      seen.capped = true;
      return;
    }
    const part = chunk.byteLength > room ? chunk.subarray(0, room) : chunk;
    seen.bytes += part.byteLength;
    yield part;
    if (part.byteLength < chunk.byteLength) {
      seen.capped = true;
      return;
    }
  }
}

export async function sampleParse(parser: ParserDefinition, filePath: string, opts: SampleOptions): Promise<ParsedSample> {
  const maxErrors = opts.maxErrors ?? 50;
  const rows: Record<string, ParserRow[]> = Object.fromEntries(parser.outputs.map((o) => [o.name, [] as ParserRow[]]));
  const seen = { bytes: 0, capped: false };
  const errors: ParseErrorRow[] = [];
  let errorCount = 0;
  let rowsFull = false;
  let stopped = false;
  const wanted = opts.outputs ?? parser.outputs.map((o) => o.name);
  const full = () => wanted.every((name) => (rows[name]?.length ?? 0) >= opts.maxRows);
  const gen = parser.parse(capped(readFileChunks(filePath, { highWaterMark: CHUNK_BYTES }), opts.maxBytes, seen), { batchSize: Math.min(4096, Math.max(64, opts.maxRows)) });
  try {
    for (;;) {
      const next = await gen.next();
      if (next.done) break;
      const batch = next.value;
      if (batch.output === parser.errorOutput) {
        for (const r of batch.rows) {
          errorCount++;
          if (errors.length < maxErrors) errors.push(r as unknown as ParseErrorRow);
        }
      } else {
        const into = rows[batch.output] ?? (rows[batch.output] = []);
        for (const r of batch.rows) {
          if (into.length >= opts.maxRows) break;
          into.push(r);
        }
      }
      if (full()) {
        rowsFull = true;
        break;
      }
      if (opts.shouldStop?.()) {
        stopped = true;
        break;
      }
    }
  } finally {
    // Ends the parser (and the file stream under it) when we left early.
    await gen.return(undefined as never).catch(() => undefined);
  }
  return { rows, errors, error_count: errorCount, bytes_read: seen.bytes, truncated: rowsFull || seen.capped || stopped, stopped };
}
