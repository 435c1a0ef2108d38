// Upload size limits, from the environment. Bytes received over the wire are capped by
// UPLOAD_MAX_BYTES (default 4 GiB); the decompressed bytes of a .gz upload by
// UPLOAD_MAX_DECOMPRESSED_BYTES (default: the same 4 GiB), which is what stops a gzip bomb.
// 4 GiB holds a day of 10M FIX messages (2.8 GB), the largest day measured end to end
// (docs/performance.md), with room; it was 2 GiB, which refused that day, raw or gzipped. A body
// the disk cannot hold is refused on its own (507 upload.disk_full), whatever the limit.

export const DEFAULT_UPLOAD_MAX_BYTES = 4 * 1024 * 1024 * 1024;

export interface UploadLimits {
  maxBytes: number;
  maxDecompressedBytes: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`upload.bad_limit: ${JSON.stringify(value)} is not a positive byte count`);
  return n;
}

export function uploadLimits(env: Readonly<Record<string, string | undefined>> = process.env): UploadLimits {
  const maxBytes = positiveInt(env.UPLOAD_MAX_BYTES, DEFAULT_UPLOAD_MAX_BYTES);
  return { maxBytes, maxDecompressedBytes: positiveInt(env.UPLOAD_MAX_DECOMPRESSED_BYTES, Math.max(maxBytes, DEFAULT_UPLOAD_MAX_BYTES)) };
}
