// Passes a byte stream through while counting its bytes, so progress can be reported in bytes
// of input consumed by the parser.
export interface ByteCounter {
  bytes: number;
}

export async function* countedChunks(source: AsyncIterable<Uint8Array>, counter: ByteCounter): AsyncGenerator<Uint8Array, void, void> {
  for await (const chunk of source) {
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}
