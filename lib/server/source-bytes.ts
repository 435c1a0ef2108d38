// The raw bytes of one source record, read from the uploaded file by the lineage a row carries
// (_cf_source_offset / _cf_source_length, or a parse error's source_offset / source_length).
// Shared by the ClOrdID drill-down and the quarantine row detail. A missing file (purged by
// retention, or moved) or an implausible range answers null: the row still says where it was.
import { open } from 'node:fs/promises';

export const MAX_SOURCE_SLICE_BYTES = 64 * 1024;

export async function readSourceSlice(file: string | null, offset: unknown, length: unknown): Promise<Buffer | null> {
  const start = Number(offset);
  const len = Number(length);
  if (!file || offset === null || length === null || !Number.isSafeInteger(start) || !Number.isSafeInteger(len)) return null;
  if (start < 0 || len <= 0 || len > MAX_SOURCE_SLICE_BYTES) return null;
  let fh;
  try {
    fh = await open(file, 'r');
  } catch {
    return null;
  }
  try {
    const buf = Buffer.alloc(len);
    const { bytesRead } = await fh.read(buf, 0, len, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}
