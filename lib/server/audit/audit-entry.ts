// What an audit entry is and how it is hashed. Kept apart from every other canonical-JSON
// helper on purpose: the chain of existing entries must verify forever, so this encoding can
// never change along with someone else's serialiser.
import { createHash } from 'node:crypto';

export interface AuditEntry {
  seq: number;
  /** ISO 8601 UTC with milliseconds (Date#toISOString form). */
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** Canonical JSON text of the details object. */
  details: string;
  prev_hash: string;
  hash: string;
}

/** prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every depth, no whitespace; bigint as its decimal string; undefined fields dropped. */
export function canonicalAuditJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('audit.bad_details: numbers in audit details must be finite');
    return JSON.stringify(value);
  }
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => canonicalAuditJson(v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalAuditJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`audit.bad_details: cannot record a ${typeof value} in audit details`);
}

/** The timestamp as hashed: whatever form the database returns it in, millisecond ISO UTC. */
export function canonicalAuditTime(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new TypeError(`audit.bad_time: ${at}`);
  return d.toISOString();
}

/** hash = sha256(prev_hash ‖ canonical entry), the entry being every field but the hashes. */
export function hashAuditEntry(e: Omit<AuditEntry, 'hash'>): string {
  const canonical = canonicalAuditJson({
    seq: e.seq,
    at: canonicalAuditTime(e.at),
    actor: e.actor,
    action: e.action,
    subject: e.subject,
    details: e.details,
  });
  return createHash('sha256').update(e.prev_hash).update(canonical).digest('hex');
}
