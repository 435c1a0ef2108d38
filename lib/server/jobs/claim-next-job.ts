// Claim: the next runnable job, with everything its attempt needs (parser, approved contract
// snapshots, the job spec sent to the worker). The contract snapshot is taken at claim time
// and recorded on the job, so lineage names exactly the versions the attempt ran against.
import path from 'node:path';
import type { Db } from '../../../db/open';
import { claimNextJob as claimNextJobRow } from '../../../db/jobs/claim-job';
import type { JobRow } from '../../../db/jobs/job-row';
import type { JobSpec } from '../../../worker/ipc-messages';
import type { ParserDefinition } from '../../parsers/parser-types';
import { approvedContractsFor, contractOutputsOf, contractRefs, type ContractSnapshot } from './approved-contracts';
import { governJobAtClaim } from '../contracts/job-claim-governance'; // G (issue 6)
import { stagingDirFor } from './job-paths';
import { findParser } from './parsers-for-upload';

export interface ClaimedJob {
  job: JobRow;
  attempt: number;
  /** null when the job's parser version is no longer installed: the attempt cannot run. */
  parser: ParserDefinition | null;
  contracts: Record<string, ContractSnapshot>;
  spec: JobSpec;
}

export async function claimNextJob(db: Db, dataDir: string, heartbeatMs: number): Promise<ClaimedJob | null> {
  const found: { parser: ParserDefinition | null; snapshots: Record<string, ContractSnapshot> } = { parser: null, snapshots: {} };
  const job = await claimNextJobRow(db, async (candidate) => {
    const installed = findParser(candidate.parser_id);
    found.parser = installed && installed.version === candidate.parser_version ? installed : null;
    if (found.parser === null) return {}; // claimed, then released as FAILED by the dispatcher
    const approved = await approvedContractsFor(
      db,
      { id: candidate.parser_id, version: candidate.parser_version },
      contractOutputsOf(found.parser),
    );
    if (approved.missing.length > 0) return null;
    found.snapshots = approved.snapshots;
    return contractRefs(found.snapshots);
  });
  if (job === null) return null;
  // G (issue 6): quarantine settings cascade + observed schema of the job, resolved at claim.
  const quarantinePolicies = found.parser ? await governJobAtClaim(db, job, found.parser, found.snapshots) : undefined;
  const spec: JobSpec = {
    jobId: job.id,
    attempt: job.attempts,
    filePath: path.resolve(job.source_path),
    fileSha256: job.source_sha256,
    parserId: job.parser_id,
    parserVersion: job.parser_version,
    logicHash: job.logic_hash,
    contracts: found.snapshots,
    ...(quarantinePolicies ? { quarantinePolicies } : {}),
    stagingDir: stagingDirFor(dataDir, job.id),
    heartbeatMs,
  };
  return { job, attempt: job.attempts, parser: found.parser, contracts: found.snapshots, spec };
}
