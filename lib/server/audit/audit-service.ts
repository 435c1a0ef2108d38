// What the audit page and /api/audit/verify call: the audit log of the process database.
import { getDb } from '../../../db/open';
import { verifyAuditChain, type AuditChainStatus } from './verify-audit-chain';

export interface AuditLogRow {
  seq: string;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: string;
  hash: string;
}

export async function auditChainStatus(): Promise<AuditChainStatus> {
  return verifyAuditChain(await getDb());
}

/** Newest first; `beforeSeq` (a decimal string) pages back through older entries (keyset). */
export async function auditLogPage(opts: { beforeSeq: string | null; limit: number }): Promise<AuditLogRow[]> {
  const limit = Math.max(1, Math.min(500, Math.trunc(opts.limit)));
  return (await getDb()).all<AuditLogRow>(
    `SELECT seq, "at", actor, action, subject, details, hash FROM audit_log
     WHERE ? IS NULL OR seq < CAST(? AS BIGINT) ORDER BY seq DESC LIMIT ${limit}`,
    [opts.beforeSeq, opts.beforeSeq],
  );
}
