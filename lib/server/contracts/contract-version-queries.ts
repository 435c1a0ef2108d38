// SQL of the contract lifecycle (db/jobs/contract-queries.ts has the inserts, reused here).
// Every transition is a conditional UPDATE … WHERE status = <expected> followed by a read-back
// of the row inside the same transaction, NOT `UPDATE … RETURNING`: measured on DuckDB 1.5 with
// this schema, an UPDATE … RETURNING on a table with a PRIMARY KEY does not raise the
// write-write conflict a plain UPDATE raises (both transactions commit, one update is lost).
import type { Db } from '../../../db/open';
import type { ContractVersionStatus } from '../../../db/jobs/contract-queries';

export interface StoredVersion {
  id: string;
  contract_id: string;
  scope_id: string;
  parser_id: string;
  parser_version: string;
  output: string;
  version: number;
  status: ContractVersionStatus;
  document: unknown;
  content_hash: string;
  author: string;
  editors: string[];
  approved_by: string | null;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_at: string | null;
}

const VERSION_COLUMNS = `id, contract_id, scope_id, parser_id, parser_version, output, version, status, document,
  content_hash, author, editors, approved_by, created_at, updated_at, submitted_at, decided_at`;

function toStoredVersion(r: Record<string, unknown>): StoredVersion {
  const opt = (v: unknown) => (v == null ? null : String(v));
  return {
    id: String(r.id),
    contract_id: String(r.contract_id),
    scope_id: String(r.scope_id),
    parser_id: String(r.parser_id),
    parser_version: String(r.parser_version),
    output: String(r.output),
    version: Number(r.version),
    status: String(r.status) as ContractVersionStatus,
    document: JSON.parse(String(r.document)),
    content_hash: String(r.content_hash),
    author: String(r.author),
    editors: JSON.parse(String(r.editors ?? '[]')) as string[],
    approved_by: opt(r.approved_by),
    created_at: String(r.created_at),
    updated_at: String(r.updated_at),
    submitted_at: opt(r.submitted_at),
    decided_at: opt(r.decided_at),
  };
}

export async function loadVersion(db: Db, contractId: string, version: number): Promise<StoredVersion | null> {
  const rows = await db.all(`SELECT ${VERSION_COLUMNS} FROM contract_versions WHERE contract_id = ? AND version = ?`, [contractId, version]);
  return rows.length === 0 ? null : toStoredVersion(rows[0]);
}

export async function loadVersions(db: Db, contractId: string): Promise<StoredVersion[]> {
  const rows = await db.all(`SELECT ${VERSION_COLUMNS} FROM contract_versions WHERE contract_id = ? ORDER BY version`, [contractId]);
  return rows.map(toStoredVersion);
}

export async function loadAllVersions(db: Db): Promise<StoredVersion[]> {
  const rows = await db.all(`SELECT ${VERSION_COLUMNS} FROM contract_versions ORDER BY contract_id, version`);
  return rows.map(toStoredVersion);
}

async function stateOf(db: Db, contractId: string, version: number): Promise<{ status: string; content_hash: string; editors: string } | null> {
  const rows = await db.all<{ status: string; content_hash: string; editors: string }>(
    `SELECT status, content_hash, editors FROM contract_versions WHERE contract_id = ? AND version = ?`,
    [contractId, version],
  );
  return rows[0] ?? null;
}

/** Replaces the document of a draft (only while it is a draft). */
export async function updateDraft(
  db: Db,
  v: { contractId: string; version: number; documentJson: string; contentHash: string; editors: string[] },
): Promise<boolean> {
  const editors = JSON.stringify(v.editors);
  await db.run(
    `UPDATE contract_versions SET document = ?, content_hash = ?, editors = ?, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND status = 'draft'`,
    [v.documentJson, v.contentHash, editors, v.contractId, v.version],
  );
  const now = await stateOf(db, v.contractId, v.version);
  return now !== null && now.status === 'draft' && now.content_hash === v.contentHash && now.editors === editors;
}

/** draft → submitted. */
export async function submitDraft(db: Db, contractId: string, version: number): Promise<boolean> {
  const before = await stateOf(db, contractId, version);
  if (before?.status !== 'draft') return false;
  await db.run(
    `UPDATE contract_versions SET status = 'submitted', submitted_at = current_timestamp, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND status = 'draft'`,
    [contractId, version],
  );
  return (await stateOf(db, contractId, version))?.status === 'submitted';
}

/**
 * submitted → approved for exactly (contract, version, content_hash); the version in force
 * before it superseded; the approval recorded. The caller has checked four eyes.
 */
export async function approveSubmitted(
  db: Db,
  a: { decisionId: string; contractId: string; version: number; contentHash: string; reviewer: string; comment: string | null },
): Promise<boolean> {
  const before = await stateOf(db, a.contractId, a.version);
  if (before?.status !== 'submitted' || before.content_hash !== a.contentHash) return false;
  await db.run(
    `UPDATE contract_versions SET status = 'approved', approved_by = ?, decided_at = current_timestamp, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND content_hash = ? AND status = 'submitted'`,
    [a.reviewer, a.contractId, a.version, a.contentHash],
  );
  const now = await stateOf(db, a.contractId, a.version);
  if (now?.status !== 'approved' || now.content_hash !== a.contentHash) return false;
  await db.run(
    `UPDATE contract_versions SET status = 'superseded', updated_at = current_timestamp
     WHERE contract_id = ? AND status = 'approved' AND version <> ?`,
    [a.contractId, a.version],
  );
  await db.run(
    `INSERT INTO contract_approvals (id, contract_id, version, content_hash, decision, reviewer, comment)
     VALUES (?, ?, ?, ?, 'approved', ?, ?)`,
    [a.decisionId, a.contractId, a.version, a.contentHash, a.reviewer, a.comment],
  );
  return true;
}

/** submitted → rejected for exactly (contract, version, content_hash), with the decision recorded. */
export async function rejectSubmitted(
  db: Db,
  r: { decisionId: string; contractId: string; version: number; contentHash: string; reviewer: string; comment: string },
): Promise<boolean> {
  const before = await stateOf(db, r.contractId, r.version);
  if (before?.status !== 'submitted' || before.content_hash !== r.contentHash) return false;
  await db.run(
    `UPDATE contract_versions SET status = 'rejected', decided_at = current_timestamp, updated_at = current_timestamp
     WHERE contract_id = ? AND version = ? AND content_hash = ? AND status = 'submitted'`,
    [r.contractId, r.version, r.contentHash],
  );
  if ((await stateOf(db, r.contractId, r.version))?.status !== 'rejected') return false;
  await db.run(
    `INSERT INTO contract_approvals (id, contract_id, version, content_hash, decision, reviewer, comment)
     VALUES (?, ?, ?, ?, 'rejected', ?, ?)`,
    [r.decisionId, r.contractId, r.version, r.contentHash, r.reviewer, r.comment],
  );
  return true;
}

export interface StoredDecision {
  id: string;
  contract_id: string;
  version: number;
  content_hash: string;
  decision: 'approved' | 'rejected';
  reviewer: string;
  comment: string | null;
  decided_at: string;
}

export async function loadDecisions(db: Db, contractId?: string): Promise<StoredDecision[]> {
  const rows = await db.all(
    `SELECT id, contract_id, version, content_hash, decision, reviewer, comment, decided_at FROM contract_approvals
     ${contractId === undefined ? '' : 'WHERE contract_id = ?'} ORDER BY decided_at, id`,
    contractId === undefined ? [] : [contractId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    contract_id: String(r.contract_id),
    version: Number(r.version),
    content_hash: String(r.content_hash),
    decision: String(r.decision) as 'approved' | 'rejected',
    reviewer: String(r.reviewer),
    comment: r.comment == null ? null : String(r.comment),
    decided_at: String(r.decided_at),
  }));
}

export interface StoredContract {
  id: string;
  scope_id: string;
  parser_id: string;
  parser_version: string;
  output: string;
  created_by: string;
  created_at: string;
}

export async function loadContracts(db: Db, contractId?: string): Promise<StoredContract[]> {
  const rows = await db.all(
    `SELECT id, scope_id, parser_id, parser_version, output, created_by, created_at FROM contracts
     ${contractId === undefined ? '' : 'WHERE id = ?'} ORDER BY parser_id, parser_version, output`,
    contractId === undefined ? [] : [contractId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    scope_id: String(r.scope_id),
    parser_id: String(r.parser_id),
    parser_version: String(r.parser_version),
    output: String(r.output),
    created_by: String(r.created_by),
    created_at: String(r.created_at),
  }));
}

/** The highest approved version of a contract (the one in force), or null. */
export async function approvedVersionNumber(db: Db, contractId: string): Promise<number | null> {
  const rows = await db.all(`SELECT max(version) AS v FROM contract_versions WHERE contract_id = ? AND status = 'approved'`, [contractId]);
  return rows[0]?.v == null ? null : Number(rows[0].v);
}
