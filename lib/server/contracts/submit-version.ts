// draft → submitted. From here the version is immutable: any change is a new version.
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import type { Actor } from './contract-actor';
import { contractSubject } from './contract-subject';
import { contractTransaction } from './contract-transaction';
import { loadVersion, submitDraft } from './contract-version-queries';
import { requireProposer } from './propose-contract';

export interface VersionState {
  id: string;
  version: number;
  status: string;
  content_hash: string;
}

export async function submitVersion(db: Db, actor: Actor, contractId: string, version: number): Promise<VersionState> {
  return contractTransaction(db, async (tx) => {
    await requireProposer(tx, actor);
    const current = await loadVersion(tx, contractId, version);
    if (!current) throw new ApiError('contract.not_found', 404, 'No such contract version.');
    if (current.status !== 'draft' || !(await submitDraft(tx, contractId, version))) {
      throw new ApiError('contract.not_draft', 409, `Version ${version} is ${current.status}; only a draft can be submitted.`);
    }
    await appendAudit(tx, { actor: actor.username, action: 'contract.submitted', subject: contractSubject(contractId, version), details: { content_hash: current.content_hash } });
    return { id: contractId, version, status: 'submitted', content_hash: current.content_hash };
  });
}
