// The quarantine settings a job runs with: for each data output, the cascade
//   built-in default < global setting < contract policy (the values the contract states) < per-upload override
// resolved when the attempt is claimed (so a later change of the global setting does not rewrite
// what a finished job ran with), recorded per (job, output) and shown on the job page with the
// source of every value. The worker decides output status with exactly these values.
import { getJob } from '../../../db/jobs/job-queries';
import type { Db } from '../../../db/open';
import { approvedContractsFor, contractOutputsOf } from '../jobs/approved-contracts';
import { findParser } from '../jobs/parsers-for-upload';
import { canonicalJson, type ContractDocument, type QuarantinePolicy } from '../../contracts';
import { readGlobalSetting } from './global-setting';
import { resolveQuarantinePolicy, statedContractPolicy, type ResolvedPolicy } from './resolve-quarantine-policy';
import { overrideForJob } from './upload-override';

export interface JobForSettings {
  id: string;
  upload_id: string;
  created_at: string;
}

export interface ResolvedJobOutput {
  output: string;
  resolved: ResolvedPolicy;
  resolved_at: string | null;
  /** false: not recorded yet (the job has not been claimed); the values are what it would get now. */
  recorded: boolean;
  override_by: string | null;
}

/** Resolves every output's policy from the layers as they are now. */
export async function resolveForJob(
  db: Db,
  job: JobForSettings,
  contracts: Record<string, ContractDocument | unknown>,
): Promise<{ outputs: Record<string, ResolvedPolicy>; overrideBy: string | null }> {
  const global = await readGlobalSetting(db);
  const override = await overrideForJob(db, job);
  const outputs: Record<string, ResolvedPolicy> = {};
  for (const [output, document] of Object.entries(contracts)) {
    outputs[output] = resolveQuarantinePolicy({
      global: global.policy,
      contract: statedContractPolicy(document),
      uploadOverride: override?.policy ?? null,
      // The right was checked when the override was given (upload-override.ts).
      overrideAllowed: override !== null,
    });
  }
  return { outputs, overrideBy: override?.set_by ?? null };
}

/**
 * Called when an attempt is claimed: resolves, records (replacing an earlier attempt's record)
 * and returns output → effective policy for the job spec.
 */
export async function settleJobQuarantineSettings(
  db: Db,
  job: JobForSettings,
  contracts: Record<string, { document: ContractDocument }>,
): Promise<Record<string, QuarantinePolicy>> {
  const docs = Object.fromEntries(Object.entries(contracts).map(([o, s]) => [o, s.document]));
  const { outputs, overrideBy } = await resolveForJob(db, job, docs);
  const policies: Record<string, QuarantinePolicy> = {};
  await db.transaction(async (tx) => {
    await tx.run(`DELETE FROM job_quarantine_settings WHERE job_id = ?`, [job.id]);
    for (const [output, resolved] of Object.entries(outputs)) {
      policies[output] = resolved.policy;
      await tx.run(`INSERT INTO job_quarantine_settings (job_id, output, resolved) VALUES (?, ?, ?)`, [
        job.id,
        output,
        canonicalJson({ ...resolved, override_by: overrideBy }),
      ]);
    }
  });
  return policies;
}

/** What the job page shows: the recorded settings, or (not claimed yet) what they would be now. */
export async function jobQuarantineSettings(
  db: Db,
  job: JobForSettings,
  contractsNow: () => Promise<Record<string, ContractDocument>>,
): Promise<ResolvedJobOutput[]> {
  const rows = await db.all<{ output: string; resolved: string; resolved_at: string }>(
    `SELECT output, resolved, resolved_at FROM job_quarantine_settings WHERE job_id = ? ORDER BY output`,
    [job.id],
  );
  if (rows.length > 0) {
    return rows.map((r) => {
      const parsed = JSON.parse(r.resolved) as ResolvedPolicy & { override_by?: string | null };
      const { override_by, ...resolved } = parsed;
      return { output: r.output, resolved, resolved_at: String(r.resolved_at), recorded: true, override_by: override_by ?? null };
    });
  }
  const { outputs, overrideBy } = await resolveForJob(db, job, await contractsNow());
  return Object.keys(outputs)
    .sort()
    .map((output) => ({ output, resolved: outputs[output], resolved_at: null, recorded: false, override_by: overrideBy }));
}

/** For the job page: the settings of a job by id (null when there is no such job). */
export async function quarantineSettingsOfJob(db: Db, jobId: string): Promise<ResolvedJobOutput[] | null> {
  const job = await getJob(db, jobId);
  if (!job) return null;
  return jobQuarantineSettings(db, job, async () => {
    const parser = findParser(job.parser_id);
    if (!parser || parser.version !== job.parser_version) return {};
    const approved = await approvedContractsFor(db, parser, contractOutputsOf(parser));
    return Object.fromEntries(Object.entries(approved.snapshots).map(([o, s]) => [o, s.document]));
  });
}
