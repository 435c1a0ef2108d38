// Whether a version may be approved as far as the data goes: blocked while the diff between the
// data observed for its scope and the version shows an unresolved type mismatch. Observed data
// = the latest observed schema recorded for the scope by a draft or a Parser Bench preview, AND
// the observed schemas of the latest real jobs of the scope (job-observed-schemas.ts, up to
// JOBS_CHECKED). With nothing observed at all the check is skipped, and the result says so.
import type { Db } from '../../../db/open';
import type { ContractDocument } from '../../contracts';
import { diffSchemas, type SchemaDiff } from '../../pipeline/schema-diff';
import { latestJobObservedSchemas } from './job-observed-schemas';
import { latestObservedSchema } from './observed-schemas';

export const JOBS_CHECKED = 5;

export interface ApprovalCheck {
  /** 'draft', 'upload:<id>', 'job:<id>' … */
  source: string;
  blocking: boolean;
  diff: SchemaDiff;
}

export interface ApprovalBlock {
  blocked: boolean;
  /** Why approval is blocked (for the page and the 409 message), or null. */
  reason: string | null;
  /** Set when the check could not be made. */
  note: string | null;
  /** The sources checked, comma-separated (null when none). */
  observed_source: string | null;
  /** The diff of the first blocking source, else of the first source checked. */
  diff: SchemaDiff | null;
  /** Every source checked, blocking ones first. */
  checks: ApprovalCheck[];
}

export async function approvalBlockFor(db: Db, scopeId: string, document: ContractDocument): Promise<ApprovalBlock> {
  const checks: ApprovalCheck[] = [];
  const latest = await latestObservedSchema(db, scopeId);
  if (latest) {
    const diff = diffSchemas(latest.observed, document);
    checks.push({ source: latest.source, blocking: diff.blocking, diff });
  }
  for (const j of await latestJobObservedSchemas(db, scopeId, JOBS_CHECKED)) {
    const diff = diffSchemas(j.observed, document);
    checks.push({ source: `job:${j.job_id}`, blocking: diff.blocking, diff });
  }
  if (checks.length === 0) {
    return { blocked: false, reason: null, note: 'No observed schema is stored for this scope: the type check against observed data was skipped.', observed_source: null, diff: null, checks };
  }
  checks.sort((a, b) => Number(b.blocking) - Number(a.blocking));
  const sources = checks.map((c) => c.source).join(', ');
  const blocking = checks.filter((c) => c.blocking);
  if (blocking.length === 0) return { blocked: false, reason: null, note: null, observed_source: sources, diff: checks[0].diff, checks };
  const why = blocking
    .map((c) => `${c.source}: ${c.diff.type_mismatches.map((m) => `${m.name}: expected ${m.expected}, observed ${m.observed} (${m.reason})`).join('; ')}`)
    .join(' | ');
  return {
    blocked: true,
    reason: `Unresolved type mismatch against the data observed in ${why}`,
    note: null,
    observed_source: sources,
    diff: blocking[0].diff,
    checks,
  };
}
