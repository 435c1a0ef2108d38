// Upload size limits, from the environment. Bytes received over the wire are capped by
// UPLOAD_MAX_BYTES (default 2 GiB); the decompressed bytes of a .gz upload by
// UPLOAD_MAX_DECOMPRESSED_BYTES (default: the same 2 GiB), which is what stops a gzip bomb.

export const DEFAULT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024 * 1024;

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
