// Replay: once an amendment is approved, the quarantined rows of chosen jobs are validated
// again under the contract now in force for their scope. A dry run only counts (per job: how
// many would pass, how many still fail and why). A real replay promotes the rows that pass into
// the output table with lineage pointing to the job that first read them (_cf_job_id, source
// hash, offsets, parser version of that job; _cf_contract_hash of the amendment), marks them
// replayed (quarantine_replays, never promoted twice) and appends one audit entry — all in one
// transaction. Values go in as the validator's canonical text through SQL casts (exact).
// Promoted rows leave <output>_quarantine (it lists open quarantine only): each original row, with
// every value and violation, moves to quarantine_replayed_rows (the audit trail; the job's
// quarantine.parquet in the warehouse stays too). Dry run and replay both report the open breaks
// the rows that pass touch (replay-break-effects.ts).
import { randomUUID } from 'node:crypto';
import { getDb, type Db } from '../../../db/open';
import { findApprovedContract } from '../../../db/jobs/contract-queries';
import { getJob } from '../../../db/jobs/job-queries';
import { ensureTable, LINEAGE_COLUMNS, quarantineTableName, tableColumns } from '../../../db/jobs/warehouse-tables';
import { quoteIdent } from '../../../db/sql';
import { canonicalJson, duckdbTypeOf, parseContractDocument, scopeId, type ContractDocument } from '../../contracts';
import { compileValidator } from '../../pipeline/compile-validator';
import { parserRowFromQuarantine } from '../../pipeline/replay-row';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { contractOutputsOf } from '../jobs/approved-contracts';
import { warehouseColumnsOf } from '../jobs/warehouse-columns';
import { findParser } from '../jobs/parsers-for-upload';
import { requireActorPermission, type Actor } from './contract-actor';
import { contractTransaction } from './contract-transaction';
import { addReplayKeys, affectedBreaks, emptyReplayKeys, type ReplayBreakReport } from './replay-break-effects';

export interface ReplayRequest {
  output: string;
  jobIds: string[];
  dryRun: boolean;
}

export interface ReplayJobReport {
  job_id: string;
  /** quarantined rows not replayed before */
  candidates: number;
  would_pass: number;
  still_failing: number;
  /** violation type → rows still failing with it */
  violations: Record<string, number>;
  promoted: number;
}

export interface ReplayReport {
  dry_run: boolean;
  replay_id: string | null;
  output: string;
  contract: { id: string; version: number; content_hash: string };
  jobs: ReplayJobReport[];
  would_pass: number;
  promoted: number;
  /** Open breaks the rows that pass touch (by break id, class, ClOrdID), and what they may do to them. */
  breaks: ReplayBreakReport;
}

interface JobLineage {
  id: string;
  source_sha256: string;
  parser_id: string;
  parser_version: string;
}

async function jobsOfOneScope(tx: Db, jobIds: string[], output: string): Promise<{ jobs: JobLineage[]; scope: string }> {
  const jobs: JobLineage[] = [];
  let scope: string | null = null;
  for (const id of jobIds) {
    const job = await getJob(tx, id);
    if (!job) throw new ApiError('replay.job_not_found', 404, `No job ${id}.`);
    const parser = findParser(job.parser_id);
    if (!parser || !contractOutputsOf(parser).includes(output)) throw new ApiError('replay.unknown_output', 400, `Job ${id} has no data output "${output}".`);
    const s = scopeId(job.parser_id, job.parser_version, output);
    if (scope !== null && s !== scope) throw new ApiError('replay.mixed_scopes', 400, 'All jobs of one replay must share a parser version.');
    scope = s;
    jobs.push({ id: job.id, source_sha256: job.source_sha256, parser_id: job.parser_id, parser_version: job.parser_version });
  }
  if (scope === null) throw new ApiError('replay.no_jobs', 400, 'Choose at least one job.');
  return { jobs, scope };
}

async function pendingRows(tx: Db, table: string, jobId: string, output: string): Promise<Record<string, unknown>[]> {
  return tx.all(
    `SELECT q.* FROM ${quoteIdent(table)} q
     WHERE q._cf_job_id = ?
       AND NOT EXISTS (SELECT 1 FROM quarantine_replays r WHERE r.job_id = q._cf_job_id AND r.output = ? AND r.q_row = q._q_row)
     ORDER BY q._q_row`,
    [jobId, output],
  );
}

/**
 * Rows replayed before replays moved them out (marked in quarantine_replays, still in the table)
 * join the trail the first time a later replay touches their job.
 */
async function moveLegacyReplayed(tx: Db, table: string, jobId: string, output: string): Promise<void> {
  const legacy = await tx.all<Record<string, unknown>>(
    `SELECT q.*, r.replay_id AS _legacy_replay_id FROM ${quoteIdent(table)} q
     JOIN quarantine_replays r ON r.job_id = q._cf_job_id AND r.output = ? AND r.q_row = q._q_row
     WHERE q._cf_job_id = ?`,
    [output, jobId],
  );
  if (legacy.length === 0) return;
  for (const row of legacy) {
    const { _legacy_replay_id: replayId, ...q } = row;
    await tx.run(
      `INSERT INTO quarantine_replayed_rows (job_id, output, q_row, replay_id, row_json) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      [jobId, output, String(q._q_row), String(replayId), canonicalJson(q)],
    );
  }
  await tx.run(
    `DELETE FROM ${quoteIdent(table)} WHERE _cf_job_id = ? AND _q_row IN (SELECT q_row FROM quarantine_replays WHERE job_id = ? AND output = ?)`,
    [jobId, jobId, output],
  );
}

async function promoteRow(
  tx: Db,
  table: string,
  contract: ContractDocument,
  contractHash: string,
  job: JobLineage,
  q: Record<string, unknown>,
  values: Record<string, string | boolean | null>,
): Promise<void> {
  const names: string[] = [];
  const exprs: string[] = [];
  const params: unknown[] = [];
  for (const c of contract.columns) {
    names.push(quoteIdent(c.name));
    exprs.push(`CAST(? AS ${duckdbTypeOf(c.type)})`);
    params.push(values[c.name] ?? null);
  }
  const lineage: Record<string, unknown> = {
    line_number: q.line_number ?? null,
    message_index: q.message_index ?? null,
    _cf_source_hash: job.source_sha256,
    _cf_job_id: job.id,
    _cf_processed_at: new Date().toISOString(),
    _cf_parser_version: job.parser_version,
    _cf_contract_hash: contractHash,
    _cf_source_offset: q._cf_source_offset ?? null,
    _cf_source_length: q._cf_source_length ?? null,
  };
  for (const l of LINEAGE_COLUMNS) {
    names.push(quoteIdent(l.name));
    exprs.push(`CAST(? AS ${l.sqlType})`);
    const v = lineage[l.name];
    params.push(v === null || v === undefined ? null : String(v));
  }
  await tx.run(`INSERT INTO ${quoteIdent(table)} (${names.join(', ')}) VALUES (${exprs.join(', ')})`, params);
}

export async function replayQuarantine(db: Db, actor: Actor, req: ReplayRequest): Promise<ReplayReport> {
  const jobIds = [...new Set(req.jobIds)];
  return contractTransaction(db, async (tx) => {
    await requireActorPermission(tx, actor, 'quarantine.replay', 'replay.forbidden', 'Replaying quarantined rows needs the permission quarantine.replay.');
    const { jobs, scope } = await jobsOfOneScope(tx, jobIds, req.output);
    const approved = await findApprovedContract(tx, scope);
    if (!approved) throw new ApiError('replay.no_contract', 409, 'This scope has no approved contract to replay against.');
    const parsed = parseContractDocument(approved.document);
    if (!parsed.ok) throw new ApiError('replay.no_contract', 409, 'The approved contract of this scope does not read.');
    const contract = parsed.contract;
    const validator = compileValidator(contract);
    const qTable = quarantineTableName(req.output);
    const hasQuarantine = (await tableColumns(tx, qTable)) !== null;
    const replayId = req.dryRun ? null : randomUUID();
    if (!req.dryRun) {
      // Adds columns an amendment introduced; refuses a changed type (promotion.schema_conflict).
      try {
        await ensureTable(tx, req.output, warehouseColumnsOf(contract, jobs[0].parser_id, req.output));
      } catch (e) {
        const code = (e as { code?: string }).code ?? 'promotion.schema_conflict';
        throw new ApiError(code, 409, (e as Error).message);
      }
    }
    const reports: ReplayJobReport[] = [];
    const keys = emptyReplayKeys();
    for (const job of jobs) {
      if (!req.dryRun && hasQuarantine) await moveLegacyReplayed(tx, qTable, job.id, req.output);
      const report: ReplayJobReport = { job_id: job.id, candidates: 0, would_pass: 0, still_failing: 0, violations: {}, promoted: 0 };
      const rows = hasQuarantine ? await pendingRows(tx, qTable, job.id, req.output) : [];
      report.candidates = rows.length;
      for (const q of rows) {
        const r = validator.validate(parserRowFromQuarantine(q));
        if (!r.ok) {
          report.still_failing++;
          for (const v of r.violations) report.violations[v.violation_type] = (report.violations[v.violation_type] ?? 0) + 1;
          continue;
        }
        report.would_pass++;
        addReplayKeys(keys, r.values);
        if (req.dryRun) continue;
        await promoteRow(tx, req.output, contract, approved.content_hash, job, q, r.values);
        await tx.run(
          `INSERT INTO quarantine_replays (job_id, output, q_row, replay_id, contract_id, contract_version, contract_hash, replayed_by)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
          [job.id, req.output, String(q._q_row), replayId, approved.contract_id, approved.version, approved.content_hash, actor.username],
        );
        await tx.run(`INSERT INTO quarantine_replayed_rows (job_id, output, q_row, replay_id, row_json) VALUES (?, ?, ?, ?, ?)`, [
          job.id,
          req.output,
          String(q._q_row),
          replayId,
          canonicalJson(q),
        ]);
        report.promoted++;
      }
      if (report.promoted > 0) {
        // Out of open quarantine: the rows this replay promoted (kept in quarantine_replayed_rows).
        await tx.run(
          `DELETE FROM ${quoteIdent(qTable)} WHERE _cf_job_id = ?
             AND _q_row IN (SELECT q_row FROM quarantine_replays WHERE replay_id = ? AND job_id = ? AND output = ?)`,
          [job.id, replayId, job.id, req.output],
        );
      }
      reports.push(report);
    }
    const wouldPass = reports.reduce((n, r) => n + r.would_pass, 0);
    const promoted = reports.reduce((n, r) => n + r.promoted, 0);
    const breaks = await affectedBreaks(tx, req.output, keys);
    if (!req.dryRun) {
      await appendAudit(tx, {
        actor: actor.username,
        action: 'quarantine.replayed',
        subject: `replay:${replayId}`,
        details: {
          output: req.output,
          contract_id: approved.contract_id,
          contract_version: approved.version,
          content_hash: approved.content_hash,
          jobs: reports.map((r) => ({ job_id: r.job_id, promoted: r.promoted, still_failing: r.still_failing })),
          breaks_touched: breaks.total,
          breaks_may_close: breaks.may_close,
        },
      });
    }
    return {
      dry_run: req.dryRun,
      replay_id: replayId,
      output: req.output,
      contract: { id: approved.contract_id, version: approved.version, content_hash: approved.content_hash },
      jobs: reports,
      would_pass: wouldPass,
      promoted,
      breaks,
    };
  });
}

export interface ReplayCandidateJob {
  job_id: string;
  source_name: string | null;
  created_at: string;
  pending_rows: number;
}

/** Jobs of a scope with quarantined rows not replayed yet (newest first), for choosing a replay. */
export async function replayCandidates(db: Db, scope: { parserId: string; parserVersion: string; output: string }): Promise<ReplayCandidateJob[]> {
  const parser = findParser(scope.parserId);
  if (!parser || !contractOutputsOf(parser).includes(scope.output)) return [];
  const table = quarantineTableName(scope.output);
  if ((await tableColumns(db, table)) === null) return [];
  const rows = await db.all<{ job_id: string; source_name: string | null; created_at: string; n: string }>(
    `SELECT j.id AS job_id, j.source_name, j.created_at, count(*) AS n
     FROM ${quoteIdent(table)} q JOIN jobs j ON j.id = q._cf_job_id
     WHERE j.parser_id = ? AND j.parser_version = ?
       AND NOT EXISTS (SELECT 1 FROM quarantine_replays r WHERE r.job_id = q._cf_job_id AND r.output = ? AND r.q_row = q._q_row)
     GROUP BY ALL ORDER BY j.created_at DESC LIMIT 200`,
    [scope.parserId, scope.parserVersion, scope.output],
  );
  return rows.map((r) => ({ job_id: r.job_id, source_name: r.source_name, created_at: String(r.created_at), pending_rows: Number(r.n) }));
}

/** The scopes (parser id and version) with an approved contract for an output: what a replay of its rows can run against. */
export async function replayScopesForOutput(db: Db, output: string): Promise<{ parserId: string; parserVersion: string; output: string }[]> {
  const rows = await db.all<{ parser_id: string; parser_version: string }>(
    `SELECT DISTINCT parser_id, parser_version FROM contract_versions WHERE output = ? AND status = 'approved' ORDER BY parser_id, parser_version`,
    [output],
  );
  return rows.map((r) => ({ parserId: r.parser_id, parserVersion: r.parser_version, output }));
}

/** For the quarantine page: per approved scope of an output, the jobs with open quarantine. */
export async function replayChoicesForOutput(output: string): Promise<{ scope: string; output: string; candidates: ReplayCandidateJob[] }[]> {
  const db = await getDb();
  const out: { scope: string; output: string; candidates: ReplayCandidateJob[] }[] = [];
  for (const scope of await replayScopesForOutput(db, output)) {
    const candidates = await replayCandidates(db, scope);
    if (candidates.length > 0) out.push({ scope: `${scope.parserId} ${scope.parserVersion}`, output: scope.output, candidates });
  }
  return out;
}
