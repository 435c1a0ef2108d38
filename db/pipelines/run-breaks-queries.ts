// The breaks of a pipeline run: those whose evidence names one of the run's jobs. Written as CSV
// rows for Node and as Parquet by DuckDB's COPY (into DATA_DIR/tmp, the only place the hardened
// instance may write; the caller moves the file under the pipeline root).
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../open';
import { quoteString } from '../sql';

export const RUN_BREAK_COLUMNS = [
  'break_id', 'class', 'family', 'status', 'severity', 'cl_ord_id', 'session', 'symbol', 'account', 'trade_date', 'notional', 'details',
] as const;
export type RunBreakRow = Record<(typeof RUN_BREAK_COLUMNS)[number], string | null>;

function whereJobs(jobIds: readonly string[]): { sql: string; params: string[] } {
  if (jobIds.length === 0) return { sql: 'WHERE false', params: [] };
  return { sql: `WHERE ${jobIds.map(() => 'contains(evidence, ?)').join(' OR ')}`, params: [...jobIds] };
}

const SELECT = `SELECT break_id, class, family, status, severity, cl_ord_id, session, symbol, account,
  CAST(trade_date AS VARCHAR) AS trade_date, CAST(notional AS VARCHAR) AS notional, details FROM breaks`;

export async function runBreakRows(db: Db, jobIds: readonly string[]): Promise<RunBreakRow[]> {
  const w = whereJobs(jobIds);
  return db.all<RunBreakRow>(`${SELECT} ${w.sql} ORDER BY break_id`, w.params);
}

/** Writes the run's breaks (typed: DECIMAL notional, DATE trade date) to a Parquet file in DATA_DIR/tmp; returns its path. */
export async function runBreaksParquet(db: Db, dataDir: string, jobIds: readonly string[]): Promise<string> {
  const dir = path.join(dataDir, 'tmp');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `pipeline-export-${randomUUID()}.parquet`);
  const w = whereJobs(jobIds);
  await db.run(
    `COPY (SELECT break_id, class, family, status, severity, cl_ord_id, session, symbol, account, trade_date, notional, details
       FROM breaks ${w.sql} ORDER BY break_id) TO ${quoteString(file)} (FORMAT parquet, COMPRESSION zstd)`,
    w.params,
  );
  return file;
}

export interface RunAwaitingExport {
  id: string;
  pipeline: string;
  logical_date: string;
  job_ids: string;
}

/** Completed runs without an export whose jobs are all final. */
export async function runsReadyForExport(db: Db, pipeline: string): Promise<RunAwaitingExport[]> {
  const runs = await db.all<RunAwaitingExport>(
    `SELECT id, pipeline, CAST(logical_date AS VARCHAR) AS logical_date, job_ids FROM pipeline_runs r
     WHERE pipeline = ? AND status = 'completed' AND NOT EXISTS (SELECT 1 FROM pipeline_exports e WHERE e.run_id = r.id)
     ORDER BY logical_date`,
    [pipeline],
  );
  const ready: RunAwaitingExport[] = [];
  for (const r of runs) {
    const ids = JSON.parse(r.job_ids) as string[];
    if (ids.length > 0) {
      const open = await db.all<{ n: string }>(
        `SELECT count(*)::VARCHAR AS n FROM jobs WHERE id IN (${ids.map(() => '?').join(', ')}) AND status NOT IN ('SUCCESS', 'PARTIAL_SUCCESS', 'FAILED')`,
        ids,
      );
      if (Number(open[0].n) > 0) continue;
    }
    ready.push(r);
  }
  return ready;
}

export async function insertExport(db: Db, e: { runId: string; pipeline: string; csvPath: string; parquetPath: string; breaks: number }): Promise<void> {
  await db.run(`INSERT INTO pipeline_exports (run_id, pipeline, csv_path, parquet_path, breaks) VALUES (?, ?, ?, ?, ?)`, [
    e.runId, e.pipeline, e.csvPath, e.parquetPath, e.breaks,
  ]);
}
