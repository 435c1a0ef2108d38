// Appends one entry to the audit log inside the caller's transaction. This is the only writer
// of audit_log. Fail closed: if the append throws, the caller's transaction rolls back and the
// change it records does not happen.
import { auditHookOf, type Db } from '../../../db/open';
import { canonicalAuditJson, GENESIS_HASH, hashAuditEntry, type AuditEntry } from './audit-entry';

export interface AuditInput {
  /** Username, or 'system' for the server itself. */
  actor: string;
  /** Dotted verb, e.g. 'upload.created', 'contract.approved', 'job.promoted'. */
  action: string;
  /** What it happened to, e.g. 'upload:<id>', 'job:<id>', 'contract:<scope>@<version>'. */
  subject: string;
  details?: Record<string, unknown>;
}

/**
 * `tx` must be the Db handed to a transaction() callback. Appends are ordered by the audit
 * lock of db/open.ts, taken here and held until the caller's transaction ends, so the head
 * read below is the true head and two appends never race for a seq (if they ever did, the
 * primary key on seq would fail one of them, closed). A Db without the hook (not from
 * db/open.ts) reads the head inside its own transaction.
 */
export async function appendAudit(tx: Db, input: AuditInput): Promise<AuditEntry> {
  for (const field of ['actor', 'action', 'subject'] as const) {
    if (typeof input[field] !== 'string' || input[field].length === 0) {
      throw new TypeError(`audit.bad_entry: ${field} is required`);
    }
  }
  const hook = auditHookOf(tx);
  let head: { seq: number; hash: string } | null;
  const headSql = 'SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1';
  if (hook) {
    await hook.lockForAudit();
    // Committed state, not this transaction's snapshot: entries committed since it began count.
    head = hook.lastAppended ?? (await hook.committedAll<{ seq: string; hash: string }>(headSql)).map((r) => ({ seq: Number(r.seq), hash: r.hash }))[0] ?? null;
  } else {
    head = (await tx.all<{ seq: string; hash: string }>(headSql)).map((r) => ({ seq: Number(r.seq), hash: r.hash }))[0] ?? null;
  }
  const entryWithoutHash = {
    seq: head ? head.seq + 1 : 1,
    at: new Date().toISOString(),
    actor: input.actor,
    action: input.action,
    subject: input.subject,
    details: canonicalAuditJson(input.details ?? {}),
    prev_hash: head ? head.hash : GENESIS_HASH,
  };
  const entry: AuditEntry = { ...entryWithoutHash, hash: hashAuditEntry(entryWithoutHash) };
  await tx.run(
    `INSERT INTO audit_log (seq, "at", actor, action, subject, details, prev_hash, hash)
     VALUES (?, ?::TIMESTAMPTZ, ?, ?, ?, ?, ?, ?)`,
    [entry.seq, entry.at, entry.actor, entry.action, entry.subject, entry.details, entry.prev_hash, entry.hash],
  );
  if (hook) hook.lastAppended = { seq: entry.seq, hash: entry.hash };
  return entry;
}
