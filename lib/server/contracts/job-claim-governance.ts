// What governance does when the dispatcher claims an attempt (called from
// lib/server/jobs/claim-next-job.ts): resolve and record the quarantine settings cascade of each
// output (returned for the job spec: the worker decides output status with them), and record the
// observed schema of each output from a bounded sample of the source.
import type { Db } from '../../../db/open';
import type { ContractDocument, QuarantinePolicy } from '../../contracts';
import type { ParserDefinition } from '../../parsers/parser-types';
import { settleJobQuarantineSettings } from '../quarantine-settings/job-quarantine-settings';
import { recordJobObservedSchemas } from './job-observed-schemas';

export async function governJobAtClaim(
  db: Db,
  job: { id: string; upload_id: string; created_at: string; source_path: string; parser_id: string; parser_version: string },
  parser: ParserDefinition,
  contracts: Record<string, { document: ContractDocument }>,
): Promise<Record<string, QuarantinePolicy> | undefined> {
  await recordJobObservedSchemas(db, job, parser, contracts);
  try {
    return await settleJobQuarantineSettings(db, job, contracts);
  } catch (e) {
    // The job is claimed already: never leave it stuck. Without resolved policies the worker
    // applies each contract's own policy (what it did before the cascade existed).
    console.error(`quarantine settings of job ${job.id} could not be resolved: ${(e as Error).message}`);
    return undefined;
  }
}
