// The uploads row for stored bytes, with its audit entry, in one transaction. The same bytes
// of the same kind uploaded again get their own row (who, when, which name) pointing at the
// first upload through duplicate_of; jobs belong to the first upload.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import type { UploadKind } from './sniff-content';
import type { StoredUpload } from './store-upload-stream';

export interface RecordedUpload {
  uploadId: string;
  /** The upload whose jobs this one shares: itself, or the earlier upload of the same bytes. */
  canonicalUploadId: string;
  duplicateOf: string | null;
}

export async function recordUpload(
  db: Db,
  input: { stored: StoredUpload; kind: UploadKind; originalName: string; actor: string },
): Promise<RecordedUpload> {
  return db.transaction(async (tx) => {
    const earlier = await tx.all<{ id: string }>(
      `SELECT id FROM uploads WHERE sha256 = ? AND kind = ? AND duplicate_of IS NULL ORDER BY uploaded_at, id LIMIT 1`,
      [input.stored.sha256, input.kind],
    );
    const duplicateOf = earlier.length > 0 ? earlier[0].id : null;
    const uploadId = randomUUID();
    await tx.run(
      `INSERT INTO uploads (id, sha256, kind, original_name, size_bytes, received_bytes, gzip, uploaded_by, duplicate_of)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [uploadId, input.stored.sha256, input.kind, input.originalName, input.stored.sizeBytes, input.stored.receivedBytes, input.stored.gzip, input.actor, duplicateOf],
    );
    await appendAudit(tx, {
      actor: input.actor,
      action: duplicateOf ? 'upload.duplicate' : 'upload.created',
      subject: `upload:${uploadId}`,
      details: {
        sha256: input.stored.sha256,
        kind: input.kind,
        name: input.originalName,
        size_bytes: input.stored.sizeBytes,
        gzip: input.stored.gzip,
        duplicate_of: duplicateOf,
      },
    });
    return { uploadId, canonicalUploadId: duplicateOf ?? uploadId, duplicateOf };
  });
}
