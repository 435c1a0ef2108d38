// What app/ (pages and route handlers) calls: the contract services on the process's database.
// app/ never imports db/ itself (DESIGN.md, "Layout").
import { getDb } from '../../../db/open';
import type { Actor } from './contract-actor';
import { contractDetail, listContracts, type ContractDetail, type ContractListItem } from './contract-views';
import { approveVersion, rejectVersion, type Decision } from './decide-version';
import { editDraft, type DraftEdited } from './edit-draft';
import { createDraft, type DraftCreated } from './propose-contract';
import { replayCandidates, replayQuarantine, type ReplayCandidateJob, type ReplayReport, type ReplayRequest } from './replay-quarantine';
import { submitVersion, type VersionState } from './submit-version';

export async function contractsForList(): Promise<ContractListItem[]> {
  return listContracts(await getDb());
}

export async function contractForDetail(id: string): Promise<ContractDetail | null> {
  return contractDetail(await getDb(), id);
}

export async function proposeContract(actor: Actor, document: unknown): Promise<DraftCreated> {
  return createDraft(await getDb(), actor, document);
}

export async function editContractDraft(actor: Actor, id: string, version: number, document: unknown): Promise<DraftEdited> {
  return editDraft(await getDb(), actor, id, version, document);
}

export async function submitContractVersion(actor: Actor, id: string, version: number): Promise<VersionState> {
  return submitVersion(await getDb(), actor, id, version);
}

export async function approveContractVersion(actor: Actor, id: string, version: number, input: { content_hash: string; comment?: string | null }): Promise<Decision> {
  return approveVersion(await getDb(), actor, id, version, input);
}

export async function rejectContractVersion(actor: Actor, id: string, version: number, input: { comment: string }): Promise<Decision> {
  return rejectVersion(await getDb(), actor, id, version, input);
}

export async function replayQuarantinedRows(actor: Actor, req: ReplayRequest): Promise<ReplayReport> {
  return replayQuarantine(await getDb(), actor, req);
}

export async function quarantineReplayCandidates(scope: { parserId: string; parserVersion: string; output: string }): Promise<ReplayCandidateJob[]> {
  return replayCandidates(await getDb(), scope);
}
