// Four eyes. Approving or rejecting a submitted version needs, checked on the server inside the
// transaction that makes the change, for every role including admin:
// - the reviewer role held NOW (roles re-read from the database): 403 contract.not_reviewer;
// - not the author nor an editor of that version: 403 contract.self_approval;
// - the version submitted: 409 contract.not_submitted;
// - approval only: the hash the reviewer read equals the stored one: 409 contract.hash_mismatch
//   (the approval binds to (contract id, version, content_hash)); no later version already
//   approved: 409 contract.stale; no unresolved type mismatch against observed data:
//   409 contract.type_mismatch.
// The state change, the decision row and the audit entry commit together or not at all. After an
// approval, jobs waiting for a contract of that scope are released (H6's releaseAwaitingJobs).
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { parseContractDocument } from '../../contracts';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { releaseAwaitingJobs } from '../jobs/release-awaiting-jobs';
import { approvalBlockFor } from './approval-block';
import { requireActorPermission, type Actor } from './contract-actor';
import { contractSubject } from './contract-subject';
import { contractTransaction } from './contract-transaction';
import { approveSubmitted, approvedVersionNumber, loadVersion, rejectSubmitted, type StoredVersion } from './contract-version-queries';

export interface Decision {
  id: string;
  version: number;
  status: 'approved' | 'rejected';
  content_hash: string;
  /** Approval only: set when the check against observed data was skipped. */
  note?: string | null;
  released_jobs?: string[];
}

async function checkReviewer(tx: Db, actor: Actor, contractId: string, version: number): Promise<StoredVersion> {
  await requireActorPermission(tx, actor, 'contracts.review', 'contract.not_reviewer', 'Approving or rejecting a contract needs the reviewer role.');
  const v = await loadVersion(tx, contractId, version);
  if (!v) throw new ApiError('contract.not_found', 404, 'No such contract version.');
  if (v.author === actor.username || v.editors.includes(actor.username)) {
    throw new ApiError('contract.self_approval', 403, 'You authored or edited this version: another reviewer must decide on it.');
  }
  if (v.status !== 'submitted') throw new ApiError('contract.not_submitted', 409, `Version ${version} is ${v.status}, not submitted.`);
  return v;
}

export async function approveVersion(
  db: Db,
  actor: Actor,
  contractId: string,
  version: number,
  input: { content_hash: string; comment?: string | null },
): Promise<Decision> {
  const decided = await contractTransaction(db, async (tx) => {
    const v = await checkReviewer(tx, actor, contractId, version);
    if (v.content_hash !== input.content_hash) {
      throw new ApiError('contract.hash_mismatch', 409, 'The version changed since you read it: its content hash differs. Reload and review it again.');
    }
    const inForce = await approvedVersionNumber(tx, contractId);
    if (inForce !== null && inForce > version) {
      throw new ApiError('contract.stale', 409, `Version ${inForce} is already approved; an older version cannot replace it.`);
    }
    const parsed = parseContractDocument(v.document);
    if (!parsed.ok) throw new ApiError('contract.invalid', 409, 'The stored document of this version is not a valid contract.', parsed.problems);
    const block = await approvalBlockFor(tx, v.scope_id, parsed.contract);
    if (block.blocked) throw new ApiError('contract.type_mismatch', 409, block.reason ?? 'Unresolved type mismatch.', block.diff?.type_mismatches);
    const ok = await approveSubmitted(tx, {
      decisionId: randomUUID(), contractId, version, contentHash: input.content_hash, reviewer: actor.username, comment: input.comment ?? null,
    });
    if (!ok) throw new ApiError('contract.conflict', 409, 'The version changed while it was being approved; reload and try again.');
    await appendAudit(tx, {
      actor: actor.username,
      action: 'contract.approved',
      subject: contractSubject(contractId, version),
      details: { content_hash: v.content_hash, scope_id: v.scope_id, superseded: inForce, comment: input.comment ?? null, observed_check: block.note ?? block.observed_source },
    });
    return { id: contractId, version, status: 'approved' as const, content_hash: v.content_hash, note: block.note };
  });
  // After commit: the approval stands even if releasing waiting jobs fails (the dispatcher's
  // next release retries it); the failure is logged, not reported as a failed approval.
  let released: string[] = [];
  try {
    released = await releaseAwaitingJobs(db, actor.username);
  } catch (e) {
    console.error('[contracts] releasing AWAITING_CONTRACT jobs after an approval failed', e);
  }
  return { ...decided, released_jobs: released };
}

export async function rejectVersion(db: Db, actor: Actor, contractId: string, version: number, input: { comment: string }): Promise<Decision> {
  const comment = (input.comment ?? '').trim();
  return contractTransaction(db, async (tx) => {
    const v = await checkReviewer(tx, actor, contractId, version);
    if (comment.length === 0) throw new ApiError('contract.comment_required', 400, 'A rejection needs a comment saying why.');
    const ok = await rejectSubmitted(tx, { decisionId: randomUUID(), contractId, version, contentHash: v.content_hash, reviewer: actor.username, comment });
    if (!ok) throw new ApiError('contract.conflict', 409, 'The version changed while it was being rejected; reload and try again.');
    await appendAudit(tx, { actor: actor.username, action: 'contract.rejected', subject: contractSubject(contractId, version), details: { content_hash: v.content_hash, comment } });
    return { id: contractId, version, status: 'rejected' as const, content_hash: v.content_hash };
  });
}
