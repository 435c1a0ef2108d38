import type { ParseOptions, ParseSummary, ParserDefinition, ParserRow } from '../../lib/parsers/parser-types';

// Test helper: runs a parser over bytes cut into chunks of a given size and collects its output.

export async function* chunksOf(bytes: Uint8Array, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export interface Collected {
  byOutput: Record<string, ParserRow[]>;
  summary: ParseSummary;
}

export async function collect(parser: ParserDefinition, input: AsyncIterable<Uint8Array>, options?: ParseOptions): Promise<Collected> {
  const byOutput: Record<string, ParserRow[]> = {};
  const gen = parser.parse(input, options);
  for (;;) {
    const next = await gen.next();
    if (next.done) return { byOutput, summary: next.value };
    (byOutput[next.value.output] ??= []).push(...next.value.rows);
  }
}

export function parseBytes(parser: ParserDefinition, bytes: Uint8Array, chunkSize = 1 << 20, options?: ParseOptions): Promise<Collected> {
  return collect(parser, chunksOf(bytes, chunkSize), options);
}
