// Whether a version may be approved as far as the data goes: blocked while the diff between the
// latest observed schema of its scope and the version shows an unresolved type mismatch. With
// no observed schema stored for the scope the check is skipped, and the result says so.
import type { Db } from '../../../db/open';
import type { ContractDocument } from '../../contracts';
import { diffSchemas, type SchemaDiff } from '../../pipeline/schema-diff';
import { latestObservedSchema } from './observed-schemas';

export interface ApprovalBlock {
  blocked: boolean;
  /** Why approval is blocked (for the page and the 409 message), or null. */
  reason: string | null;
  /** Set when the check could not be made. */
  note: string | null;
  observed_source: string | null;
  diff: SchemaDiff | null;
}

export async function approvalBlockFor(db: Db, scopeId: string, document: ContractDocument): Promise<ApprovalBlock> {
  const latest = await latestObservedSchema(db, scopeId);
  if (!latest) {
    return { blocked: false, reason: null, note: 'No observed schema is stored for this scope: the type check against observed data was skipped.', observed_source: null, diff: null };
  }
  const diff = diffSchemas(latest.observed, document);
  if (!diff.blocking) return { blocked: false, reason: null, note: null, observed_source: latest.source, diff };
  const list = diff.type_mismatches.map((m) => `${m.name}: expected ${m.expected}, observed ${m.observed} (${m.reason})`).join('; ');
  return {
    blocked: true,
    reason: `Unresolved type mismatch against the data observed in ${latest.source}: ${list}`,
    note: null,
    observed_source: latest.source,
    diff,
  };
}
