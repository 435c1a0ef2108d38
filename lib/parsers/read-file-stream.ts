import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';

// Reads a file as a stream of byte chunks for a parser: never the whole file in memory.
// A `.gz` file is decompressed on the fly, and parsers then see (and give offsets into) the
// decompressed bytes.

export const DEFAULT_CHUNK_BYTES = 1 << 20;

export interface ReadFileOptions {
  /** First byte to read (default 0). */
  start?: number;
  /** Byte offset to stop before (exclusive, like `slice`); default: the end of the file. */
  end?: number;
  /** Chunk size in bytes; default 1 MiB. */
  highWaterMark?: number;
}

export function isGzipPath(filePath: string): boolean {
  return filePath.toLowerCase().endsWith('.gz');
}

/**
 * Chunks of `filePath`, optionally of the byte range [start, end). A byte range of a `.gz`
 * file is refused (offsets in compressed bytes mean nothing to a parser). Errors of the file
 * system (missing file, a directory, no permission) reject the iteration.
 */
export async function* readFileChunks(filePath: string, options: ReadFileOptions = {}): AsyncIterable<Uint8Array> {
  const highWaterMark = options.highWaterMark ?? DEFAULT_CHUNK_BYTES;
  const gzip = isGzipPath(filePath);
  if (gzip && (options.start !== undefined || options.end !== undefined)) {
    throw new Error(`read.range_on_gzip: a byte range cannot be read from the compressed file ${filePath}`);
  }
  if (options.end !== undefined && options.end <= (options.start ?? 0)) return;
  const file = createReadStream(filePath, {
    highWaterMark,
    start: options.start,
    // fs takes an inclusive end.
    end: options.end === undefined ? undefined : options.end - 1,
  });
  if (!gzip) {
    for await (const chunk of file) yield chunk as Buffer;
    return;
  }
  const gunzip = createGunzip({ chunkSize: Math.min(highWaterMark, 1 << 20) });
  file.on('error', (err) => gunzip.destroy(err));
  file.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } finally {
    file.destroy();
  }
}
