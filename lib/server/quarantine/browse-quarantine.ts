// The cross-job quarantine browser: pages of quarantined rows of one output (filters in
// quarantine-filters.ts, keyset token in quarantine-browse-cursor.ts) and one row's detail with
// every violation and the raw source bytes read from the uploaded file by the row's lineage.
// Replayed rows (promoted by a replay, H10) are hidden unless asked for, and marked when shown.
// A replay now moves the rows it promotes out of <output>_quarantine into quarantine_replayed_rows
// (the audit trail): the browser lists open quarantine; a replayed row's detail page still opens,
// read from the trail.
import type { Db } from '../../../db/open';
import {
  browseQuarantineRows,
  quarantineOutputs,
  quarantineRowByKey,
  quarantineValueColumns,
  quarantineViolationTypes,
  countQuarantineRows,
  streamQuarantineRows,
} from '../../../db/quarantine/quarantine-browse-queries';
import { ApiError } from '../http/api-error';
import { readSourceSlice } from '../source-bytes';
import { decodeBrowseCursor, encodeBrowseCursor } from './quarantine-browse-cursor';
import type { QuarantineFilters } from './quarantine-filters';

export interface QuarantineRowView {
  /** `<job id>.<q_row>`: the row's stable key in URLs */
  row_ref: string;
  job_id: string;
  q_row: number;
  violation_type: string | null;
  error_msg: string | null;
  line_number: string | null;
  source_row: string | null;
  source_offset: string | null;
  source_length: string | null;
  file: { name: string | null; sha256: string; upload_id: string };
  job_created_at: string;
  replayed: { replay_id: string; at: string | null; by: string | null } | null;
  /** the original values, as text, by column */
  values: Record<string, string | null>;
}

export interface QuarantineBrowsePage {
  output: string | null;
  outputs: string[];
  columns: string[];
  violation_types: string[];
  limit: number;
  rows: QuarantineRowView[];
  next_cursor: string | null;
}

const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export function rowRef(jobId: string, qRow: number): string {
  return `${jobId}.${qRow}`;
}

export function parseRowRef(ref: string): { jobId: string; qRow: number } | null {
  const m = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(\d{1,15})$/.exec(ref);
  return m ? { jobId: m[1], qRow: Number(m[2]) } : null;
}

function toView(r: Record<string, unknown>, columns: string[]): QuarantineRowView {
  const values: Record<string, string | null> = {};
  for (const c of columns) values[c] = text(r[c]);
  const qRow = Number(r._q_row);
  return {
    row_ref: rowRef(String(r._cf_job_id), qRow),
    job_id: String(r._cf_job_id),
    q_row: qRow,
    violation_type: text(r._violation_type),
    error_msg: text(r._error_msg),
    line_number: text(r.line_number),
    source_row: text(r._source_row),
    source_offset: text(r._cf_source_offset),
    source_length: text(r._cf_source_length),
    file: { name: text(r._job_source_name), sha256: String(r._job_source_sha256), upload_id: String(r._job_upload_id) },
    job_created_at: String(r._job_created_at),
    replayed: r._replay_id == null ? null : { replay_id: String(r._replay_id), at: text(r._replayed_at), by: text(r._replayed_by) },
    values,
  };
}

/** The output a request names (must exist), else the first one with a quarantine table; null when none has. */
async function resolveOutput(db: Db, requested: string | null): Promise<{ output: string | null; outputs: string[] }> {
  const outputs = await quarantineOutputs(db);
  if (requested === null) return { output: outputs[0] ?? null, outputs };
  if (!outputs.includes(requested)) throw new ApiError('quarantine.unknown_output', 400, `No output ${JSON.stringify(requested)} has quarantined rows.`);
  return { output: requested, outputs };
}

export async function browseQuarantine(db: Db, f: QuarantineFilters, cursor: string | null, limit: number): Promise<QuarantineBrowsePage> {
  const { output, outputs } = await resolveOutput(db, f.output);
  if (output === null) return { output: null, outputs, columns: [], violation_types: [], limit, rows: [], next_cursor: null };
  let after = null;
  if (cursor !== null) {
    after = decodeBrowseCursor(cursor, f, output);
    if (!after) throw new ApiError('request.bad_cursor', 400, 'The cursor is not valid for these filters.');
  }
  const columns = (await quarantineValueColumns(db, output)) ?? [];
  const raw = await browseQuarantineRows(db, output, f, after, limit + 1);
  const more = raw.length > limit;
  const page = (more ? raw.slice(0, limit) : raw).map((r) => ({ r, v: toView(r, columns) }));
  const last = page[page.length - 1];
  return {
    output,
    outputs,
    columns,
    violation_types: await quarantineViolationTypes(db, output),
    limit,
    rows: page.map((p) => p.v),
    next_cursor: more && last ? encodeBrowseCursor({ createdUs: String(last.r._job_created_us), jobId: last.v.job_id, qRow: last.v.q_row }, f, output) : null,
  };
}

/**
 * The export's rows: every row matching the filters, in the browser's order, a chunk at a time
 * from one snapshot (streamQuarantineRows), and the value columns of the header. No output with a
 * quarantine table: no rows. More than maxRows: the rows fail (never a file silently cut short).
 */
export async function quarantineExportRows(
  db: Db,
  f: QuarantineFilters,
  maxRows: number,
): Promise<{ columns: string[]; rows: AsyncGenerator<QuarantineRowView[], void, undefined> }> {
  const { output, columns } = await quarantineColumnsOf(db, f);
  async function* rows(): AsyncGenerator<QuarantineRowView[], void, undefined> {
    if (output === null) return;
    let seen = 0;
    // One row more than maxRows is asked for: rows that matched after the export was allowed
    // (quarantineExportCount) end the download with an error instead of a file cut short.
    for await (const chunk of streamQuarantineRows(db, output, f, maxRows + 1)) {
      seen += chunk.length;
      if (seen > maxRows) throw new Error(`quarantine.export_too_large: more than ${maxRows} rows match now; the export stopped`);
      yield chunk.map((r) => toView(r, columns));
    }
  }
  return { columns, rows: rows() };
}

/** How many rows an export with these filters would hold (0 when no output has a quarantine table). */
export async function quarantineExportCount(db: Db, f: QuarantineFilters): Promise<number> {
  const { output } = await resolveOutput(db, f.output);
  return output === null ? 0 : countQuarantineRows(db, output, f);
}

/** The columns of an output's rows (for an export's header when no row matched). */
export async function quarantineColumnsOf(db: Db, f: QuarantineFilters): Promise<{ output: string | null; columns: string[] }> {
  const { output } = await resolveOutput(db, f.output);
  return { output, columns: output === null ? [] : ((await quarantineValueColumns(db, output)) ?? []) };
}

export interface QuarantineViolation {
  column: string | null;
  violation_type: string;
  message: string | null;
}

export interface QuarantineRowDetail extends QuarantineRowView {
  output: string;
  violations: QuarantineViolation[];
  extra_columns: string | null;
  /** the source record's bytes; null when the upload is gone or the row has no byte range */
  raw: { text: string; base64: string; bytes: number } | null;
}

function parseViolations(text: unknown, fallback: QuarantineRowView): QuarantineViolation[] {
  if (typeof text === 'string') {
    try {
      const list = JSON.parse(text) as unknown;
      if (Array.isArray(list)) {
        return list.map((v) => {
          const o = (v ?? {}) as Record<string, unknown>;
          return { column: o.column == null ? null : String(o.column), violation_type: String(o.violation_type ?? 'unknown'), message: o.message == null ? null : String(o.message) };
        });
      }
    } catch {
      // fall through: the first violation is still known
    }
  }
  return fallback.violation_type ? [{ column: null, violation_type: fallback.violation_type, message: fallback.error_msg }] : [];
}

/** null when the output or the row does not exist. */
export async function quarantineRowDetail(db: Db, output: string, ref: string): Promise<QuarantineRowDetail | null> {
  const key = parseRowRef(ref);
  if (!key) return null;
  const outputs = await quarantineOutputs(db);
  if (!outputs.includes(output)) return null;
  const r = (await quarantineRowByKey(db, output, key.jobId, key.qRow)) ?? (await replayedRowByKey(db, output, key.jobId, key.qRow));
  if (!r) return null;
  const columns = (await quarantineValueColumns(db, output)) ?? [];
  const view = toView(r, columns);
  const bytes = await readSourceSlice(text(r._job_source_path), r._cf_source_offset, r._cf_source_length);
  return {
    ...view,
    output,
    violations: parseViolations(r._violations, view),
    extra_columns: text(r._extra_columns),
    // FIX's SOH shown as |; the exact bytes are in base64.
    raw: bytes ? { text: bytes.toString('latin1').replace(/\x01/g, '|'), base64: bytes.toString('base64'), bytes: bytes.length } : null,
  };
}

/** A row a replay moved out of quarantine, from the trail, shaped like quarantineRowByKey's answer. */
async function replayedRowByKey(db: Db, output: string, jobId: string, qRow: number): Promise<Record<string, unknown> | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT t.row_json, t.replay_id AS _replay_id, CAST(coalesce(r.replayed_at, t.replayed_at) AS VARCHAR) AS _replayed_at, r.replayed_by AS _replayed_by,
            j.source_name AS _job_source_name, j.source_sha256 AS _job_source_sha256, j.upload_id AS _job_upload_id,
            j.source_path AS _job_source_path, CAST(j.created_at AS VARCHAR) AS _job_created_at
     FROM quarantine_replayed_rows t JOIN jobs j ON j.id = t.job_id
     LEFT JOIN quarantine_replays r ON r.job_id = t.job_id AND r.output = t.output AND r.q_row = t.q_row
     WHERE t.job_id = ? AND t.output = ? AND t.q_row = ?`,
    [jobId, output, qRow],
  );
  if (rows.length === 0) return null;
  const { row_json, ...meta } = rows[0];
  let original: Record<string, unknown> = {};
  try {
    original = JSON.parse(String(row_json)) as Record<string, unknown>;
  } catch {
    original = {};
  }
  return { ...original, ...meta, _cf_job_id: jobId, _q_row: qRow };
}
