// The per-upload override: the top layer of the quarantine settings cascade, given with the upload
// as query parameters of POST /api/uploads:
//   override_allow_quarantine=true|false, override_max_quarantine_pct=N, override_max_quarantine_count=N|none
// Only a user holding quarantine.override may give one (checked here, on the server, before the
// bytes are stored: 403 quarantine.override_forbidden); it is recorded and audited with the
// upload, and applies to the jobs of that upload created after it.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { hasPermission, type UserWithRoles } from '../permissions';
import { partialPolicyJson, readPartialPolicy } from './partial-policy-input';
import type { PartialPolicy } from './resolve-quarantine-policy';
import { parsePartialPolicyText } from './stored-policy';

export const OVERRIDE_PARAMS = {
  allow_quarantine: 'override_allow_quarantine',
  max_quarantine_pct: 'override_max_quarantine_pct',
  max_quarantine_count: 'override_max_quarantine_count',
} as const;

function bad(message: string): ApiError {
  return new ApiError('upload.bad_quarantine_override', 400, message);
}

/** The override the query asks for (null: none), checked against the user's right to give one. */
export function readUploadOverride(params: URLSearchParams, user: UserWithRoles): PartialPolicy | null {
  const raw: Record<string, unknown> = {};
  const allow = params.get(OVERRIDE_PARAMS.allow_quarantine);
  if (allow !== null && allow !== '') {
    if (allow !== 'true' && allow !== 'false') throw bad(`${OVERRIDE_PARAMS.allow_quarantine} must be true or false.`);
    raw.allow_quarantine = allow === 'true';
  }
  const pct = params.get(OVERRIDE_PARAMS.max_quarantine_pct);
  if (pct !== null && pct !== '') {
    if (!/^\d{1,3}(\.\d{1,4})?$/.test(pct)) throw bad(`${OVERRIDE_PARAMS.max_quarantine_pct} must be a number from 0 to 100.`);
    raw.max_quarantine_pct = Number(pct);
  }
  const count = params.get(OVERRIDE_PARAMS.max_quarantine_count);
  if (count !== null && count !== '') {
    if (count === 'none') raw.max_quarantine_count = null;
    else if (/^\d{1,12}$/.test(count)) raw.max_quarantine_count = Number(count);
    else throw bad(`${OVERRIDE_PARAMS.max_quarantine_count} must be a whole number or "none".`);
  }
  if (Object.keys(raw).length === 0) return null;
  const policy = readPartialPolicy(raw, 'upload.bad_quarantine_override');
  if (!hasPermission(user, 'quarantine.override')) {
    throw new ApiError('quarantine.override_forbidden', 403, 'A per-upload quarantine override needs the permission quarantine.override.');
  }
  return policy;
}

export async function recordUploadOverride(
  db: Db,
  o: { uploadId: string; canonicalUploadId: string; policy: PartialPolicy; actor: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO upload_quarantine_overrides (id, upload_id, canonical_upload_id, policy, set_by) VALUES (?, ?, ?, ?, ?)`,
      [randomUUID(), o.uploadId, o.canonicalUploadId, partialPolicyJson(o.policy), o.actor],
    );
    await appendAudit(tx, {
      actor: o.actor,
      action: 'quarantine.override_set',
      subject: `upload:${o.uploadId}`,
      details: { canonical_upload_id: o.canonicalUploadId, policy: o.policy },
    });
  });
}

export interface UploadOverride {
  policy: PartialPolicy;
  set_by: string;
  set_at: string;
  upload_id: string;
}

/** The latest override given for the upload a job belongs to, set no later than the job was created. */
export async function overrideForJob(db: Db, job: { upload_id: string; created_at: string }): Promise<UploadOverride | null> {
  const rows = await db.all<{ policy: string; set_by: string; set_at: string; upload_id: string }>(
    `SELECT policy, set_by, set_at, upload_id FROM upload_quarantine_overrides
     WHERE canonical_upload_id = ? AND set_at <= CAST(? AS TIMESTAMPTZ)
     ORDER BY set_at DESC, id DESC LIMIT 1`,
    [job.upload_id, job.created_at],
  );
  if (rows.length === 0) return null;
  return { policy: parsePartialPolicyText(rows[0].policy), set_by: rows[0].set_by, set_at: String(rows[0].set_at), upload_id: rows[0].upload_id };
}
