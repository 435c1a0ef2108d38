// Walks the audit log in seq order and names the first entry that does not verify: a gap in
// seq, a prev_hash that is not the previous entry's hash, or a hash that does not match the
// entry's content (an altered row).
import type { Db } from '../../../db/open';
import { GENESIS_HASH, hashAuditEntry, type AuditEntry } from './audit-entry';

export type AuditChainStatus =
  | { ok: true; entries: number }
  | { ok: false; entries: number; first_bad_seq: number; reason: 'seq_gap' | 'prev_hash_mismatch' | 'hash_mismatch' };

const PAGE = 5000;

export async function verifyAuditChain(db: Db): Promise<AuditChainStatus> {
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  for (;;) {
    // Keyset pages keep memory flat on a long log.
    const rows = await db.all<Omit<AuditEntry, 'seq'> & { seq: string }>(
      `SELECT seq, "at", actor, action, subject, details, prev_hash, hash
       FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ${PAGE}`,
      [expectedSeq],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) return { ok: false, entries, first_bad_seq: expectedSeq, reason: 'seq_gap' };
      if (row.prev_hash !== prevHash) return { ok: false, entries, first_bad_seq: seq, reason: 'prev_hash_mismatch' };
      if (hashAuditEntry({ ...row, seq }) !== row.hash) return { ok: false, entries, first_bad_seq: seq, reason: 'hash_mismatch' };
      prevHash = row.hash;
      expectedSeq = seq + 1;
      entries++;
    }
    if (rows.length < PAGE) return { ok: true, entries };
  }
}
