// Quarantined rows across jobs, per output: filters, keyset pages (newest job first, then the
// row's position in its job), one row by its stable key, and the outputs that have a quarantine
// table. The table name is built only from an output found in information_schema (never from a
// request as such) and quoted; every filter value is bound.
import type { Db } from '../open';
import { quoteIdent } from '../sql';
import { QUARANTINE_META_COLUMNS, quarantineTableName, tableColumns } from '../jobs/warehouse-tables';

const OUTPUT_NAME = /^[a-z][a-z0-9_]{0,62}$/;
const SHA256 = /^[0-9a-f]{64}$/;

export interface BrowseFilterValues {
  violationType: string | null;
  jobId: string | null;
  file: string | null;
  from: string | null;
  to: string | null;
  includeReplayed: boolean;
}

export interface BrowseAfter {
  createdUs: string;
  jobId: string;
  qRow: number;
}

/** Outputs with a `<output>_quarantine` table, sorted. */
export async function quarantineOutputs(db: Db): Promise<string[]> {
  const rows = await db.all<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'main' AND table_name LIKE '%\\_quarantine' ESCAPE '\\' ORDER BY table_name`,
  );
  return rows.map((r) => r.table_name.slice(0, -'_quarantine'.length)).filter((o) => OUTPUT_NAME.test(o));
}

export async function hasReplayTable(db: Db): Promise<boolean> {
  return (await tableColumns(db, 'quarantine_replays')) !== null;
}

/** The columns holding the row's original values (the quarantine table minus its metadata). */
export async function quarantineValueColumns(db: Db, output: string): Promise<string[] | null> {
  const cols = await tableColumns(db, quarantineTableName(output));
  if (!cols) return null;
  const meta = new Set(QUARANTINE_META_COLUMNS.map((c) => c.name));
  return [...cols.keys()].filter((c) => !meta.has(c));
}

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function selectFrom(output: string, withReplays: boolean): string {
  const replayCols = withReplays
    ? `r.replay_id AS _replay_id, CAST(r.replayed_at AS VARCHAR) AS _replayed_at, r.replayed_by AS _replayed_by`
    : `NULL AS _replay_id, NULL AS _replayed_at, NULL AS _replayed_by`;
  const replayJoin = withReplays ? `LEFT JOIN quarantine_replays r ON r.job_id = q._cf_job_id AND r.output = $output AND r.q_row = q._q_row` : '';
  return `SELECT q.*, j.source_name AS _job_source_name, j.source_sha256 AS _job_source_sha256, j.upload_id AS _job_upload_id,
      j.source_path AS _job_source_path, CAST(j.created_at AS VARCHAR) AS _job_created_at,
      CAST(epoch_us(j.created_at) AS VARCHAR) AS _job_created_us, ${replayCols}
    FROM ${quoteIdent(quarantineTableName(output))} q JOIN jobs j ON j.id = q._cf_job_id ${replayJoin}`;
}

/** Rows matching the filters after `after` (exclusive), at most `limit`. */
export async function browseQuarantineRows(
  db: Db,
  output: string,
  f: BrowseFilterValues,
  after: BrowseAfter | null,
  limit: number,
): Promise<Record<string, unknown>[]> {
  return db.all(...(await matchingRowsQuery(db, output, f, after, limit)));
}

/**
 * Every row matching the filters (at most `limit`), in the browser's order, a chunk at a time
 * from one snapshot (Db.stream): the export. Keyset pages would each sort the matching rows
 * again, and a replay or a promotion between two pages would make the file half one state
 * and half the next.
 */
export async function* streamQuarantineRows(db: Db, output: string, f: BrowseFilterValues, limit: number): AsyncGenerator<Record<string, unknown>[], void, undefined> {
  yield* db.stream(...(await matchingRowsQuery(db, output, f, null, limit)));
}

/** How many rows match the filters (what an export of them would hold). */
export async function countQuarantineRows(db: Db, output: string, f: BrowseFilterValues): Promise<number> {
  const { sql, params } = await matchingRows(db, output, f, null);
  const [{ n }] = await db.all<{ n: string }>(...positional(`SELECT count(*)::BIGINT AS n FROM (${sql})`, params));
  return Number(n);
}

async function matchingRowsQuery(db: Db, output: string, f: BrowseFilterValues, after: BrowseAfter | null, limit: number): Promise<[string, unknown[]]> {
  const { sql, params } = await matchingRows(db, output, f, after);
  return positional(`${sql}
    ORDER BY epoch_us(j.created_at) DESC, q._cf_job_id DESC, q._q_row
    LIMIT $limit`, { ...params, limit });
}

/** The rows matching the filters (after `after`), unordered: the SQL with named parameters. */
async function matchingRows(db: Db, output: string, f: BrowseFilterValues, after: BrowseAfter | null): Promise<{ sql: string; params: Record<string, unknown> }> {
  const withReplays = await hasReplayTable(db);
  const where: string[] = [];
  const params: Record<string, unknown> = { output };
  if (f.violationType !== null) {
    where.push(`(q._violation_type = $vt OR contains(q._violations, $vtJson))`);
    params.vt = f.violationType;
    params.vtJson = `"violation_type":${JSON.stringify(f.violationType)}`;
  }
  if (f.jobId !== null) {
    where.push(`q._cf_job_id = $job`);
    params.job = f.jobId;
  }
  if (f.file !== null) {
    if (SHA256.test(f.file.toLowerCase())) {
      where.push(`j.source_sha256 = $sha`);
      params.sha = f.file.toLowerCase();
    } else {
      where.push(`j.source_name ILIKE $name ESCAPE '\\'`);
      params.name = likePattern(f.file);
    }
  }
  if (f.from !== null) {
    where.push(`j.created_at >= CAST($from || ' 00:00:00+00' AS TIMESTAMPTZ)`);
    params.from = f.from;
  }
  if (f.to !== null) {
    where.push(`j.created_at < CAST($to || ' 00:00:00+00' AS TIMESTAMPTZ) + INTERVAL 1 DAY`);
    params.to = f.to;
  }
  if (!f.includeReplayed && withReplays) where.push(`r.job_id IS NULL`);
  if (after !== null) {
    where.push(`(epoch_us(j.created_at) < CAST($cUs AS BIGINT)
      OR (epoch_us(j.created_at) = CAST($cUs AS BIGINT) AND (q._cf_job_id < $cJob OR (q._cf_job_id = $cJob AND q._q_row > $cRow))))`);
    params.cUs = after.createdUs;
    params.cJob = after.jobId;
    params.cRow = after.qRow;
  }
  return { sql: `${selectFrom(output, withReplays)} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`, params };
}

/** One quarantined row by its stable key, or null. */
export async function quarantineRowByKey(db: Db, output: string, jobId: string, qRow: number): Promise<Record<string, unknown> | null> {
  const withReplays = await hasReplayTable(db);
  const sql = `${selectFrom(output, withReplays)} WHERE q._cf_job_id = $job AND q._q_row = $row LIMIT 1`;
  const rows = await db.all(...positional(sql, { output, job: jobId, row: qRow }));
  return rows[0] ?? null;
}

/** Distinct first violation types of an output (for the filter's choices). */
export async function quarantineViolationTypes(db: Db, output: string): Promise<string[]> {
  const rows = await db.all<{ t: string | null }>(
    `SELECT DISTINCT _violation_type AS t FROM ${quoteIdent(quarantineTableName(output))} WHERE _violation_type IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => String(r.t));
}

/** Named `$name` placeholders turned into positional `?` with their values in order. */
function positional(sql: string, params: Record<string, unknown>): [string, unknown[]] {
  const values: unknown[] = [];
  const text = sql.replace(/\$([a-zA-Z]+)/g, (_m, name: string) => {
    if (!(name in params)) throw new Error(`quarantine query: no value for $${name}`);
    values.push(params[name]);
    return '?';
  });
  return [text, values];
}
