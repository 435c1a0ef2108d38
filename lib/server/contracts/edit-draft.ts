// Editing a draft: the new document is validated (every problem reported), must stay in the
// version's scope, and replaces the draft only while it is still a draft — checked by the UPDATE
// itself inside the transaction, so an edit can never land on a submitted (immutable) version.
// Whoever edits, other than the author, is recorded as an editor and can no longer approve it.
import type { Db } from '../../../db/open';
import { canonicalJson, contentHash } from '../../contracts';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import type { Actor } from './contract-actor';
import { readContractDocument } from './contract-document-input';
import { contractSubject } from './contract-subject';
import { contractTransaction } from './contract-transaction';
import { loadVersion, updateDraft } from './contract-version-queries';
import { requireProposer } from './propose-contract';

export interface DraftEdited {
  id: string;
  version: number;
  status: 'draft';
  content_hash: string;
  editors: string[];
}

export async function editDraft(db: Db, actor: Actor, contractId: string, version: number, json: unknown): Promise<DraftEdited> {
  const doc = readContractDocument(json);
  const hash = contentHash(doc);
  return contractTransaction(db, async (tx) => {
    await requireProposer(tx, actor);
    const current = await loadVersion(tx, contractId, version);
    if (!current) throw new ApiError('contract.not_found', 404, 'No such contract version.');
    if (current.parser_id !== doc.parser_id || current.parser_version !== doc.parser_version || current.output !== doc.output) {
      throw new ApiError('contract.scope_mismatch', 400, 'A draft cannot move to another parser, parser version or output.');
    }
    if (current.status !== 'draft') {
      throw new ApiError('contract.not_draft', 409, `Version ${version} is ${current.status} and cannot change; propose a new version instead.`);
    }
    const editors = current.author === actor.username || current.editors.includes(actor.username) ? current.editors : [...current.editors, actor.username];
    if (!(await updateDraft(tx, { contractId, version, documentJson: canonicalJson(doc), contentHash: hash, editors }))) {
      throw new ApiError('contract.not_draft', 409, `Version ${version} is no longer a draft.`);
    }
    await appendAudit(tx, {
      actor: actor.username,
      action: 'contract.edited',
      subject: contractSubject(contractId, version),
      details: { previous_hash: current.content_hash, content_hash: hash },
    });
    return { id: contractId, version, status: 'draft' as const, content_hash: hash, editors };
  });
}
