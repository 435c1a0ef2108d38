// Reading a job's quarantined rows. The output name must be one of the job's outputs (checked
// by the caller against its approved contracts); the table name is quoted, values are bound.
// Keyset pagination on `_q_row` (the row's position in the job's quarantine file).
import type { Db } from '../open';
import { quoteIdent } from '../sql';
import { quarantineTableName, tableColumns } from './warehouse-tables';

export interface QuarantinePageQuery {
  jobId: string;
  output: string;
  violationType: string | null;
  /** Rows strictly after this `_q_row`; null for the first page. */
  afterRow: number | null;
  limit: number;
}

export interface QuarantinePage {
  rows: Record<string, unknown>[];
  /** `_q_row` of the last row returned when more rows follow, else null. */
  lastRow: number | null;
}

export async function quarantinePage(db: Db, q: QuarantinePageQuery): Promise<QuarantinePage> {
  const table = quarantineTableName(q.output);
  if ((await tableColumns(db, table)) === null) return { rows: [], lastRow: null };
  // Rows a replay promoted stay in quarantine (their job's evidence) and are marked by
  // `_replay_id` (null when not replayed); the replay table exists once migration 004 ran.
  const replays = (await tableColumns(db, 'quarantine_replays')) !== null;
  const rows = await db.all(
    `SELECT q.*, ${replays ? 'r.replay_id' : 'NULL'} AS _replay_id FROM ${quoteIdent(table)} q
     ${replays ? 'LEFT JOIN quarantine_replays r ON r.job_id = q._cf_job_id AND r.output = ? AND r.q_row = q._q_row' : ''}
     WHERE q._cf_job_id = ? AND (? IS NULL OR q._violation_type = ?) AND q._q_row > ?
     ORDER BY q._q_row LIMIT ?`,
    [...(replays ? [q.output] : []), q.jobId, q.violationType, q.violationType, q.afterRow ?? -1, q.limit + 1],
  );
  const more = rows.length > q.limit;
  const page = more ? rows.slice(0, q.limit) : rows;
  return { rows: page, lastRow: more ? Number(page[page.length - 1]._q_row) : null };
}

export interface ViolationSummary {
  violation_type: string;
  rows: number;
  samples: Record<string, unknown>[];
}

/** Quarantined rows of one output of a job, counted by violation type, with the first few of each. */
export async function quarantineSummary(db: Db, jobId: string, output: string, samplesPerType: number): Promise<ViolationSummary[]> {
  const table = quarantineTableName(output);
  if ((await tableColumns(db, table)) === null) return [];
  const counts = await db.all<{ violation_type: string | null; n: unknown }>(
    `SELECT _violation_type AS violation_type, count(*) AS n FROM ${quoteIdent(table)}
     WHERE _cf_job_id = ? GROUP BY 1 ORDER BY n DESC, 1`,
    [jobId],
  );
  const samples = await db.all(
    `SELECT * FROM ${quoteIdent(table)} WHERE _cf_job_id = ?
     QUALIFY row_number() OVER (PARTITION BY _violation_type ORDER BY _q_row) <= ?
     ORDER BY _q_row`,
    [jobId, samplesPerType],
  );
  return counts.map((c) => ({
    violation_type: c.violation_type ?? 'unknown',
    rows: Number(c.n),
    samples: samples.filter((s) => (s._violation_type ?? null) === c.violation_type),
  }));
}

export interface ParseErrorSummary {
  code: string;
  rows: number;
  samples: { message: string | null; raw: string | null; line_number: number | null }[];
}

export async function parseErrorSummary(db: Db, jobId: string, samplesPerCode: number): Promise<ParseErrorSummary[]> {
  const counts = await db.all<{ code: string; n: unknown }>(
    `SELECT code, count(*) AS n FROM parse_errors WHERE job_id = ? GROUP BY code ORDER BY n DESC, code`,
    [jobId],
  );
  const samples = await db.all<{ code: string; message: string | null; raw: string | null; line_number: unknown }>(
    `SELECT code, message, raw, line_number FROM parse_errors WHERE job_id = ?
     QUALIFY row_number() OVER (PARTITION BY code ORDER BY line_number, source_offset) <= ?
     ORDER BY line_number`,
    [jobId, samplesPerCode],
  );
  return counts.map((c) => ({
    code: c.code,
    rows: Number(c.n),
    samples: samples
      .filter((s) => s.code === c.code)
      .map((s) => ({ message: s.message, raw: s.raw, line_number: s.line_number == null ? null : Number(s.line_number) })),
  }));
}
