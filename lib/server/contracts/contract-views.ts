// What the contracts pages and GET /api/contracts show: per scope the version in force and the
// pending proposals; per contract every version with its decisions and, for submitted versions,
// whether approval is blocked by observed data (and why).
import type { Db } from '../../../db/open';
import { parseContractDocument } from '../../contracts';
import { approvalBlockFor, type ApprovalBlock } from './approval-block';
import { loadContracts, loadDecisions, loadAllVersions, loadVersions, type StoredDecision, type StoredVersion } from './contract-version-queries';

export interface VersionSummary {
  version: number;
  status: string;
  content_hash: string;
  author: string;
  editors: string[];
  approved_by: string | null;
  updated_at: string;
}

export interface ContractListItem {
  id: string;
  scope_id: string;
  parser_id: string;
  parser_version: string;
  output: string;
  approved: VersionSummary | null;
  pending: VersionSummary[];
  versions: number;
}

function summary(v: StoredVersion): VersionSummary {
  return { version: v.version, status: v.status, content_hash: v.content_hash, author: v.author, editors: v.editors, approved_by: v.approved_by, updated_at: v.updated_at };
}

export async function listContracts(db: Db): Promise<ContractListItem[]> {
  const [contracts, versions] = await Promise.all([loadContracts(db), loadAllVersions(db)]);
  return contracts.map((c) => {
    const mine = versions.filter((v) => v.contract_id === c.id);
    const approved = mine.filter((v) => v.status === 'approved').at(-1) ?? null;
    return {
      id: c.id,
      scope_id: c.scope_id,
      parser_id: c.parser_id,
      parser_version: c.parser_version,
      output: c.output,
      approved: approved ? summary(approved) : null,
      pending: mine.filter((v) => v.status === 'draft' || v.status === 'submitted').map(summary),
      versions: mine.length,
    };
  });
}

export interface VersionDetail extends VersionSummary {
  document: unknown;
  created_at: string;
  submitted_at: string | null;
  decided_at: string | null;
  decisions: StoredDecision[];
  /** Submitted versions only: whether observed data blocks approval. */
  approval_block: ApprovalBlock | null;
}

export interface ContractDetail {
  id: string;
  scope_id: string;
  parser_id: string;
  parser_version: string;
  output: string;
  created_by: string;
  versions: VersionDetail[];
}

export async function contractDetail(db: Db, contractId: string): Promise<ContractDetail | null> {
  const [contract] = await loadContracts(db, contractId);
  if (!contract) return null;
  const [versions, decisions] = await Promise.all([loadVersions(db, contractId), loadDecisions(db, contractId)]);
  const out: VersionDetail[] = [];
  for (const v of versions) {
    let block: ApprovalBlock | null = null;
    if (v.status === 'submitted') {
      const parsed = parseContractDocument(v.document);
      block = parsed.ok
        ? await approvalBlockFor(db, v.scope_id, parsed.contract)
        : { blocked: true, reason: 'The stored document is not a valid contract.', note: null, observed_source: null, diff: null, checks: [] };
    }
    out.push({
      ...summary(v),
      document: v.document,
      created_at: v.created_at,
      submitted_at: v.submitted_at,
      decided_at: v.decided_at,
      decisions: decisions.filter((d) => d.version === v.version),
      approval_block: block,
    });
  }
  return { ...contract, versions: out };
}
