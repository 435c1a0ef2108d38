// A job's quarantined rows for the API (keyset pages) and the job page (summary by violation
// type with samples). The output must be one of the job's own data outputs: that is what makes
// the table name (an identifier) come from an approved contract and never from the request.
import type { Db } from '../../../db/open';
import { getJob } from '../../../db/jobs/job-queries';
import { parseErrorSummary, quarantinePage, quarantineSummary, type ParseErrorSummary, type ViolationSummary } from '../../../db/jobs/quarantine-queries';
import { ApiError } from '../http/api-error';
import { dataOutputsOf } from './job-views';
import { decodeQuarantineCursor, encodeQuarantineCursor } from './quarantine-cursor';

export const MAX_QUARANTINE_LIMIT = 500;
export const DEFAULT_QUARANTINE_LIMIT = 100;

export interface QuarantineRequest {
  jobId: string;
  output: string | null;
  violationType: string | null;
  cursor: string | null;
  limit: number;
}

export interface QuarantineResponse {
  job_id: string;
  output: string;
  violation_type: string | null;
  limit: number;
  rows: Record<string, unknown>[];
  next_cursor: string | null;
}

export async function readJobQuarantine(db: Db, q: QuarantineRequest): Promise<QuarantineResponse> {
  const job = await getJob(db, q.jobId);
  if (!job) throw new ApiError('job.not_found', 404, 'No job has this id.');
  const outputs = await dataOutputsOf(db, job);
  const output = q.output ?? outputs[0];
  if (output === undefined) {
    return { job_id: job.id, output: '', violation_type: q.violationType, limit: q.limit, rows: [], next_cursor: null };
  }
  if (!outputs.includes(output)) throw new ApiError('quarantine.unknown_output', 400, `The job has no output named ${JSON.stringify(output).slice(0, 80)}.`);
  let afterRow: number | null = null;
  if (q.cursor !== null) {
    const c = decodeQuarantineCursor(q.cursor, output, q.violationType);
    if (!c) throw new ApiError('request.bad_cursor', 400, 'The cursor is not valid for this query.');
    afterRow = c.afterRow;
  }
  const page = await quarantinePage(db, { jobId: job.id, output, violationType: q.violationType, afterRow, limit: q.limit });
  return {
    job_id: job.id,
    output,
    violation_type: q.violationType,
    limit: q.limit,
    rows: page.rows,
    next_cursor: page.lastRow === null ? null : encodeQuarantineCursor({ afterRow: page.lastRow, output, violationType: q.violationType }),
  };
}

export interface QuarantineOverview {
  outputs: { output: string; violations: ViolationSummary[] }[];
  parse_errors: ParseErrorSummary[];
}

export async function jobQuarantineOverview(db: Db, jobId: string, samples = 3): Promise<QuarantineOverview> {
  const job = await getJob(db, jobId);
  if (!job) return { outputs: [], parse_errors: [] };
  const outputs = [];
  for (const output of await dataOutputsOf(db, job)) outputs.push({ output, violations: await quarantineSummary(db, jobId, output, samples) });
  return { outputs, parse_errors: await parseErrorSummary(db, jobId, samples) };
}
