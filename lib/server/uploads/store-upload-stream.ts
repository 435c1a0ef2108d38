// Streams an upload body to data/uploads/<sha256> without holding the file in memory:
// body → byte limit → (gunzip → decompressed limit) → sniff + sha256 → temp file (written in
// 1 MiB blocks, coalescing-file-writer.ts) → fsync → rename.
// The temp file lives in data/uploads/.incoming/ (same file system, so the rename is atomic);
// on any failure it is removed, so data/uploads/ only ever holds complete, named-by-hash files.
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ioFailureOf } from '../../../worker/io-errors';
import { ApiError } from '../http/api-error';
import { CoalescingFileWriter } from './coalescing-file-writer';
import { SNIFF_BYTES, sniffContent, type UploadKind } from './sniff-content';
import type { UploadLimits } from './upload-limits';

export interface StoredUpload {
  sha256: string;
  /** Absolute path of the stored (decompressed) bytes. */
  path: string;
  /** Bytes stored. */
  sizeBytes: number;
  /** Bytes received (compressed size for .gz). */
  receivedBytes: number;
  gzip: boolean;
}

const GZIP_MAGIC = [0x1f, 0x8b];

function tooLarge(limit: number): ApiError {
  return new ApiError('upload.too_large', 413, `The upload is larger than the limit of ${limit} bytes (UPLOAD_MAX_BYTES).`);
}

export async function storeUploadStream(
  body: ReadableStream<Uint8Array> | null,
  opts: { uploadsDir: string; kind: UploadKind; nameSaysGzip: boolean; limits: UploadLimits },
): Promise<StoredUpload> {
  if (!body) throw new ApiError('upload.empty', 400, 'The request has no body: send the file as the request body.');
  const incoming = path.join(opts.uploadsDir, '.incoming');
  await mkdir(incoming, { recursive: true });
  const tmp = path.join(incoming, `${randomUUID()}.part`);

  const reader = body.getReader();
  let receivedBytes = 0;
  // Read until the first bytes decide whether this is gzip.
  const first: Uint8Array[] = [];
  let firstLength = 0;
  let ended = false;
  while (firstLength < 4) {
    const r = await reader.read().catch((e: unknown) => {
      throw aborted(e);
    });
    if (r.done) {
      ended = true;
      break;
    }
    first.push(r.value);
    firstLength += r.value.length;
  }
  const firstBytes = Buffer.concat(first);
  const gzip = firstBytes.length >= 2 && firstBytes[0] === GZIP_MAGIC[0] && firstBytes[1] === GZIP_MAGIC[1];
  if (opts.nameSaysGzip && !gzip && firstBytes.length > 0) {
    await reader.cancel().catch(() => undefined);
    throw new ApiError('upload.bad_gzip', 415, 'The file name ends in .gz but the content is not gzip.');
  }

  async function* received(): AsyncGenerator<Uint8Array> {
    const limit = opts.limits.maxBytes;
    const take = (chunk: Uint8Array) => {
      receivedBytes += chunk.length;
      if (receivedBytes > limit) throw tooLarge(limit);
      return chunk;
    };
    if (firstBytes.length > 0) yield take(firstBytes);
    if (ended) return;
    for (;;) {
      let r: ReadableStreamReadResult<Uint8Array>;
      try {
        r = await reader.read();
      } catch (e) {
        throw aborted(e);
      }
      if (r.done) return;
      yield take(r.value);
    }
  }

  const hash = createHash('sha256');
  let sizeBytes = 0;
  const head: Buffer[] = [];
  let headLength = 0;
  let sniffed = false;
  const sniff = (complete: boolean) => {
    sniffed = true;
    const verdict = sniffContent(Buffer.concat(head).subarray(0, SNIFF_BYTES), opts.kind, complete);
    if (!verdict.ok) throw new ApiError(verdict.code, verdict.code === 'upload.empty' ? 400 : 415, verdict.message);
  };
  const storedLimit = gzip ? opts.limits.maxDecompressedBytes : opts.limits.maxBytes;

  async function* inspected(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      sizeBytes += chunk.length;
      if (sizeBytes > storedLimit) {
        throw gzip
          ? new ApiError('upload.decompressed_too_large', 413, `The decompressed file is larger than ${storedLimit} bytes (UPLOAD_MAX_DECOMPRESSED_BYTES).`)
          : tooLarge(storedLimit);
      }
      if (!sniffed) {
        head.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        headLength += chunk.length;
        if (headLength >= SNIFF_BYTES) sniff(false);
      }
      hash.update(chunk);
      yield chunk;
    }
    if (!sniffed) sniff(true);
  }

  let fh: FileHandle | null = null;
  try {
    fh = await open(tmp, 'wx', 0o640);
    const writer = new CoalescingFileWriter(fh);
    const store = async (chunks: AsyncIterable<Uint8Array>) => {
      for await (const chunk of chunks) await writer.write(chunk);
      await writer.end();
    };
    // Plain bytes go straight from the body reader to the writer (no stream objects per chunk).
    // gzip goes through zlib's stream; the first error (the refusal inspected() throws, a corrupt
    // stream, an aborted body) is the one reported, and both streams are torn down after it.
    if (gzip) {
      const source = Readable.from(received(), { objectMode: false });
      const gunzip = createGunzip();
      source.on('error', (e) => gunzip.destroy(e));
      source.pipe(gunzip);
      try {
        await store(inspected(gunzip));
      } finally {
        source.destroy();
        gunzip.destroy();
      }
    } else {
      await store(inspected(received()));
    }
    await fh.sync();
    await fh.close();
    fh = null;
    const sha256 = hash.digest('hex');
    const finalPath = path.join(opts.uploadsDir, sha256);
    const existing = await stat(finalPath).catch(() => null);
    // Content-addressed: an existing file of that name already holds these exact bytes.
    if (existing && existing.size === sizeBytes) await rm(tmp, { force: true });
    else await rename(tmp, finalPath);
    return { sha256, path: finalPath, sizeBytes, receivedBytes, gzip };
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    await fh?.close().catch(() => undefined);
    await rm(tmp, { force: true });
    if (e instanceof ApiError) throw e;
    if (isZlibError(e)) throw new ApiError('upload.bad_gzip', 415, 'The gzip data is corrupt or truncated.');
    throw storageError(e) ?? e;
  }
}

/**
 * An upload the server's disk could not take, as the client's answer (the temp file is already
 * removed: nothing of it is kept). A full disk is 507 upload.disk_full; any other I/O failure of
 * the uploads directory is 503 upload.storage_unavailable. null for anything else.
 */
export function storageError(e: unknown): ApiError | null {
  const io = ioFailureOf(e);
  if (!io) return null;
  if (io.code === 'io.disk_full') {
    return new ApiError('upload.disk_full', 507, `The server's disk has no room for this upload (${io.message}); nothing of it was kept. Free space on the server, then upload it again.`);
  }
  return new ApiError('upload.storage_unavailable', 503, `The server could not store the upload (${io.message}); nothing of it was kept. Try again later, or ask an administrator.`);
}

function isZlibError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function aborted(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError('upload.aborted', 400, 'The upload was interrupted before the whole file arrived.');
}
