// The minimal contract tables the jobs need: which approved version governs a scope, and the
// inserts/transitions used by demo seeding. The full lifecycle (drafts edited in the UI, diffs,
// rejection) is built on the same tables by the contracts module.
import type { Db } from '../open';

export type ContractVersionStatus = 'draft' | 'submitted' | 'approved' | 'rejected' | 'superseded';

export interface ApprovedContract {
  contract_id: string;
  version: number;
  content_hash: string;
  /** The contract document as stored (canonical JSON, parsed). */
  document: unknown;
}

export async function findApprovedContract(db: Db, scopeId: string): Promise<ApprovedContract | null> {
  const rows = await db.all(
    `SELECT contract_id, version, content_hash, document FROM contract_versions
     WHERE scope_id = ? AND status = 'approved' ORDER BY version DESC LIMIT 1`,
    [scopeId],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    contract_id: String(r.contract_id),
    version: Number(r.version),
    content_hash: String(r.content_hash),
    document: JSON.parse(String(r.document)),
  };
}

export async function findContractIdByScope(db: Db, scopeId: string): Promise<string | null> {
  const rows = await db.all(`SELECT id FROM contracts WHERE scope_id = ?`, [scopeId]);
  return rows.length === 0 ? null : String(rows[0].id);
}

export async function insertContract(
  db: Db,
  c: { id: string; scopeId: string; parserId: string; parserVersion: string; output: string; createdBy: string },
): Promise<void> {
  await db.run(
    `INSERT INTO contracts (id, scope_id, parser_id, parser_version, output, created_by) VALUES (?, ?, ?, ?, ?, ?)`,
    [c.id, c.scopeId, c.parserId, c.parserVersion, c.output, c.createdBy],
  );
}

export async function nextContractVersion(db: Db, contractId: string): Promise<number> {
  const rows = await db.all(`SELECT COALESCE(MAX(version), 0) + 1 AS v FROM contract_versions WHERE contract_id = ?`, [contractId]);
  return Number(rows[0].v);
}

export async function insertContractVersion(
  db: Db,
  v: {
    id: string;
    contractId: string;
    scopeId: string;
    parserId: string;
    parserVersion: string;
    output: string;
    version: number;
    documentJson: string;
    contentHash: string;
    author: string;
  },
): Promise<void> {
  await db.run(
    `INSERT INTO contract_versions (id, contract_id, scope_id, parser_id, parser_version, output, version, status,
       document, content_hash, author, editors)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?, ?, '[]')`,
    [v.id, v.contractId, v.scopeId, v.parserId, v.parserVersion, v.output, v.version, v.documentJson, v.contentHash, v.author],
  );
}

export interface ContractVersionRow {
  id: string;
  contract_id: string;
  scope_id: string;
  version: number;
  status: ContractVersionStatus;
  content_hash: string;
  author: string;
  editors: string[];
  approved_by: string | null;
}

export async function getContractVersion(db: Db, contractId: string, version: number): Promise<ContractVersionRow | null> {
  const rows = await db.all(
    `SELECT id, contract_id, scope_id, version, status, content_hash, author, editors, approved_by
     FROM contract_versions WHERE contract_id = ? AND version = ?`,
    [contractId, version],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    id: String(r.id),
    contract_id: String(r.contract_id),
    scope_id: String(r.scope_id),
    version: Number(r.version),
    status: String(r.status) as ContractVersionStatus,
    content_hash: String(r.content_hash),
    author: String(r.author),
    editors: JSON.parse(String(r.editors ?? '[]')) as string[],
    approved_by: r.approved_by == null ? null : String(r.approved_by),
  };
}

export async function submitContractVersion(db: Db, contractId: string, version: number): Promise<boolean> {
  const rows = await db.all(
    `UPDATE contract_versions SET status = 'submitted', submitted_at = current_timestamp, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND status = 'draft' RETURNING version`,
    [contractId, version],
  );
  return rows.length === 1;
}

/**
 * submitted → approved for exactly (contract, version, content_hash), the previously approved
 * version superseded, and the approval recorded. The caller has checked four eyes.
 */
export async function approveContractVersion(
  db: Db,
  a: { approvalId: string; contractId: string; version: number; contentHash: string; reviewer: string; comment: string | null },
): Promise<boolean> {
  const rows = await db.all(
    `UPDATE contract_versions SET status = 'approved', approved_by = ?, decided_at = current_timestamp, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND content_hash = ? AND status = 'submitted' RETURNING version`,
    [a.reviewer, a.contractId, a.version, a.contentHash],
  );
  if (rows.length !== 1) return false;
  await db.run(
    `UPDATE contract_versions SET status = 'superseded', updated_at = current_timestamp
     WHERE contract_id = ? AND status = 'approved' AND version <> ?`,
    [a.contractId, a.version],
  );
  await db.run(
    `INSERT INTO contract_approvals (id, contract_id, version, content_hash, decision, reviewer, comment)
     VALUES (?, ?, ?, ?, 'approved', ?, ?)`,
    [a.approvalId, a.contractId, a.version, a.contentHash, a.reviewer, a.comment],
  );
  return true;
}
