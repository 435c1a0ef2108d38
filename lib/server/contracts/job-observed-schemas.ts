// Observed schemas of real jobs (issue 6): when an attempt is claimed, the first rows of each
// data output are read from the job's stored upload (a bounded sample: SAMPLE_ROWS rows,
// SAMPLE_BYTES bytes, in the dispatcher, before the worker starts — never per row of the run)
// and the schema inferred from them is recorded per (job, output). Approval of a contract is
// checked against the latest of these as well as against drafts' and previews' observed schemas.
//
// Rule: value errors must not block an amendment, a contract that does not fit the data must.
// When most sampled rows pass the contract the job runs under, the schema is inferred from the
// passing rows only (the others are value errors that quarantine handles by policy); otherwise
// from all sampled rows (the contract does not fit most of the data: a type mismatch).
import type { Db } from '../../../db/open';
import { canonicalJson, scopeId, type ContractDocument } from '../../contracts';
import type { ParserDefinition } from '../../parsers/parser-types';
import { compileValidator } from '../../pipeline/compile-validator';
import { inferObservedSchema, type ObservedSchema } from '../../pipeline/observed-schema';
import type { ParserRow } from '../../parsers/parser-types';
import { sampleParse } from '../bench/sample-parse';
import { contractOutputsOf } from '../jobs/approved-contracts';

export const SAMPLE_ROWS = 200;
export const SAMPLE_BYTES = 128 * 1024;

export interface JobForObserved {
  id: string;
  source_path: string;
  parser_id: string;
  parser_version: string;
}

/** Samples the job's source and records one observed schema per data output that has rows. Never throws. */
export type ObservedBasis = 'passing_rows' | 'all_rows';

/** The rows the observed schema is inferred from, and why (see the rule above). Pure. */
export function observedBasis(rows: readonly ParserRow[], contract: ContractDocument | undefined): { rows: readonly ParserRow[]; basis: ObservedBasis; failing: number } {
  if (!contract) return { rows, basis: 'all_rows', failing: 0 };
  const validator = compileValidator(contract);
  const passing = rows.filter((r) => validator.validate(r).ok);
  const failing = rows.length - passing.length;
  return passing.length * 2 > rows.length ? { rows: passing, basis: 'passing_rows', failing } : { rows, basis: 'all_rows', failing };
}

export async function recordJobObservedSchemas(
  db: Db,
  job: JobForObserved,
  parser: ParserDefinition,
  contracts: Record<string, { document: ContractDocument }> = {},
): Promise<number> {
  try {
    const outputs = contractOutputsOf(parser);
    const sample = await sampleParse(parser, job.source_path, { maxRows: SAMPLE_ROWS, maxBytes: SAMPLE_BYTES, maxErrors: 0, outputs });
    let recorded = 0;
    await db.transaction(async (tx) => {
      await tx.run(`DELETE FROM job_observed_schemas WHERE job_id = ?`, [job.id]);
      for (const output of outputs) {
        const rows = sample.rows[output] ?? [];
        if (rows.length === 0) continue;
        const picked = observedBasis(rows, contracts[output]?.document);
        const observed = inferObservedSchema(picked.rows);
        await tx.run(
          `INSERT INTO job_observed_schemas (job_id, output, scope_id, observed, sample_rows, basis, failing_rows) VALUES (?, ?, ?, ?, ?, ?, ?)`,
          [job.id, output, scopeId(job.parser_id, job.parser_version, output), canonicalJson(observed), rows.length, picked.basis, picked.failing],
        );
        recorded++;
      }
    });
    return recorded;
  } catch {
    // The observed schema is evidence for reviewers, not part of the run: a file that cannot be
    // sampled here fails (or not) in the worker, with its own error.
    return 0;
  }
}

export interface JobObservedSchema {
  job_id: string;
  output: string;
  observed: ObservedSchema;
  sample_rows: number;
  basis: ObservedBasis;
  failing_rows: number;
  recorded_at: string;
}

/** The observed schemas of the latest `limit` jobs of a scope, newest first. */
export async function latestJobObservedSchemas(db: Db, scope: string, limit = 5): Promise<JobObservedSchema[]> {
  const rows = await db.all<{ job_id: string; output: string; observed: string; sample_rows: string; basis: string; failing_rows: string; recorded_at: string }>(
    `SELECT job_id, output, observed, sample_rows, basis, failing_rows, recorded_at FROM job_observed_schemas
     WHERE scope_id = ? ORDER BY recorded_at DESC, job_id DESC LIMIT ?`,
    [scope, limit],
  );
  return rows.map((r) => ({
    job_id: r.job_id,
    output: r.output,
    observed: JSON.parse(r.observed) as ObservedSchema,
    sample_rows: Number(r.sample_rows),
    basis: r.basis === 'passing_rows' ? 'passing_rows' : 'all_rows',
    failing_rows: Number(r.failing_rows),
    recorded_at: String(r.recorded_at),
  }));
}
