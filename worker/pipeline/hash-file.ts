// sha256 of a whole file, streamed. The lineage column _cf_source_hash must be on every valid
// row, so the hash is needed before the first row is written: runPipeline takes it from its
// caller when known (an upload is content-addressed by it) and otherwise hashes the file here
// in a first pass, which reads at disk / page-cache speed (well above 500 MB/s) next to a
// parser's tens of MB/s. The hash is of the bytes as uploaded (a .gz is hashed compressed).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(filePath, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
