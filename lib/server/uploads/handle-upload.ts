// POST /api/uploads?kind=fix|confirmations&filename=NAME with the raw file as the body:
// validate the query, stream the body to disk, record the upload, start its jobs.
import { mkdir, statfs } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { dataDir as defaultDataDir, type Db } from '../../../db/open';
import type { SessionUser } from '../auth/users';
import { ApiError } from '../http/api-error';
import { escapeOriginalName, isGzipName, MAX_ORIGINAL_NAME_BYTES } from './escape-original-name';
import { recordUpload } from './record-upload';
import { readUploadOverride, recordUploadOverride } from '../quarantine-settings/upload-override'; // G (issue 6)
import { UPLOAD_KINDS, type UploadKind } from './sniff-content';
import { storeUploadStream } from './store-upload-stream';
import { uploadLimits, type UploadLimits } from './upload-limits';

export interface UploadResponse {
  upload_id: string;
  sha256: string;
  job_ids: string[];
  /** The earlier upload of the same bytes, when there is one (its jobs are the ones returned). */
  duplicate_of: string | null;
  size_bytes: number;
}

export type EnqueueJobs = (
  db: Db,
  input: { uploadId: string; sha256: string; kind: UploadKind; path: string; actor: string; name?: string | null; bytes?: number | null },
) => Promise<string[]>;

const query = z.object({
  kind: z.enum(UPLOAD_KINDS as [UploadKind, ...UploadKind[]]),
  filename: z.string().optional(),
});

/** Bytes available to this process in the file system of `dir` (created if missing); null when unknown. */
async function freeBytes(dir: string): Promise<number | null> {
  try {
    await mkdir(dir, { recursive: true });
    const fs = await statfs(dir);
    return Number(fs.bavail) * Number(fs.bsize);
  } catch {
    return null;
  }
}

export async function handleUpload(
  req: Request,
  user: SessionUser,
  deps: { db: Db; enqueueJobs: EnqueueJobs; dataDir?: string; limits?: UploadLimits },
): Promise<UploadResponse> {
  const url = new URL(req.url);
  const parsed = query.safeParse({ kind: url.searchParams.get('kind') ?? undefined, filename: url.searchParams.get('filename') ?? undefined });
  if (!parsed.success) throw new ApiError('upload.bad_kind', 400, 'Query parameter kind must be fix or confirmations.');
  const { kind } = parsed.data;
  const rawName = parsed.data.filename ?? '';
  if (Buffer.byteLength(rawName, 'utf8') > MAX_ORIGINAL_NAME_BYTES) {
    throw new ApiError('upload.bad_filename', 400, `The file name is longer than ${MAX_ORIGINAL_NAME_BYTES} bytes.`);
  }
  const originalName = rawName.length > 0 ? escapeOriginalName(rawName) : 'unnamed';
  const limits = deps.limits ?? uploadLimits();
  // G (issue 6): per-upload quarantine override, checked (400 / 403) before any byte is stored.
  const quarantineOverride = readUploadOverride(url.searchParams, user);

  // Refuse early when the client announces a body over the limit (it may still be streaming).
  const announced = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > limits.maxBytes) {
    throw new ApiError('upload.too_large', 413, `The upload is larger than the limit of ${limits.maxBytes} bytes (UPLOAD_MAX_BYTES).`);
  }

  const uploadsDir = path.join(deps.dataDir ?? defaultDataDir(), 'uploads');
  // Refuse early, too, when the disk cannot hold the announced body: a 2.8 GB day of FIX would
  // otherwise stream for seconds before the disk fills (the write failing is still caught:
  // storeUploadStream, upload.disk_full). A .gz body is checked at its compressed size.
  if (Number.isFinite(announced) && announced > 0) {
    const free = await freeBytes(uploadsDir);
    if (free !== null && announced > free) {
      throw new ApiError(
        'upload.disk_full',
        507,
        `The server's disk has ${free} bytes free and the upload is ${announced} bytes; nothing of it was kept. Free space on the server, then upload it again.`,
      );
    }
  }
  const stored = await storeUploadStream(req.body, { uploadsDir, kind, nameSaysGzip: isGzipName(rawName), limits });
  const recorded = await recordUpload(deps.db, { stored, kind, originalName, actor: user.username });
  if (quarantineOverride) {
    await recordUploadOverride(deps.db, { uploadId: recorded.uploadId, canonicalUploadId: recorded.canonicalUploadId, policy: quarantineOverride, actor: user.username });
  }
  let jobIds: string[];
  try {
    jobIds = await deps.enqueueJobs(deps.db, {
      uploadId: recorded.canonicalUploadId,
      sha256: stored.sha256,
      kind,
      path: stored.path,
      actor: user.username,
      name: originalName,
      bytes: stored.sizeBytes,
    });
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('job.')) {
      throw new ApiError(code, 422, 'The upload was stored but no job could be started for it.');
    }
    throw e;
  }
  return { upload_id: recorded.uploadId, sha256: stored.sha256, job_ids: jobIds, duplicate_of: recorded.duplicateOf, size_bytes: stored.sizeBytes };
}
