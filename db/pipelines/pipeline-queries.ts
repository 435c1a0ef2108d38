// SQL for the pipeline tables of 005_pipelines.sql (insert-only; see the migration).
import type { Db } from '../open';

export interface DefinitionRow {
  name: string;
  version: number;
  definition: string;
  created_by: string;
  created_at: string;
}

export interface PipelineRunRow {
  id: string;
  pipeline: string;
  definition_version: number;
  logical_date: string;
  status: 'completed' | 'failed';
  trigger: string;
  snapshot_hash: string | null;
  snapshot: string | null;
  files: number;
  skipped_files: number;
  job_ids: string;
  watermark: string | null;
  error_code: string | null;
  error_message: string | null;
  started_by: string;
  started_at: string;
  finished_at: string;
}

export async function latestDefinition(db: Db, name: string): Promise<DefinitionRow | null> {
  const rows = await db.all<DefinitionRow>(
    `SELECT name, version, definition, created_by, CAST(created_at AS VARCHAR) AS created_at
     FROM pipeline_definitions WHERE name = ? ORDER BY version DESC LIMIT 1`,
    [name],
  );
  return rows.length ? { ...rows[0], version: Number(rows[0].version) } : null;
}

export async function listLatestDefinitions(db: Db): Promise<DefinitionRow[]> {
  const rows = await db.all<DefinitionRow>(
    `SELECT name, version, definition, created_by, CAST(created_at AS VARCHAR) AS created_at
     FROM pipeline_definitions d
     WHERE version = (SELECT max(version) FROM pipeline_definitions e WHERE e.name = d.name)
     ORDER BY name`,
  );
  return rows.map((r) => ({ ...r, version: Number(r.version) }));
}

export async function insertDefinition(db: Db, row: { name: string; version: number; definition: string; createdBy: string }): Promise<void> {
  await db.run(`INSERT INTO pipeline_definitions (name, version, definition, created_by) VALUES (?, ?, ?, ?)`, [
    row.name,
    row.version,
    row.definition,
    row.createdBy,
  ]);
}

const RUN_COLUMNS = `id, pipeline, definition_version, CAST(logical_date AS VARCHAR) AS logical_date, status, trigger,
  snapshot_hash, snapshot, files, skipped_files, job_ids, watermark, error_code, error_message, started_by,
  CAST(started_at AS VARCHAR) AS started_at, CAST(finished_at AS VARCHAR) AS finished_at`;

function runRow(r: PipelineRunRow): PipelineRunRow {
  return { ...r, definition_version: Number(r.definition_version), files: Number(r.files), skipped_files: Number(r.skipped_files) };
}

export async function completedRun(db: Db, pipeline: string, logicalDate: string): Promise<PipelineRunRow | null> {
  const rows = await db.all<PipelineRunRow>(
    `SELECT ${RUN_COLUMNS} FROM pipeline_runs WHERE pipeline = ? AND logical_date = CAST(? AS DATE) AND status = 'completed'
     ORDER BY finished_at LIMIT 1`,
    [pipeline, logicalDate],
  );
  return rows.length ? runRow(rows[0]) : null;
}

export async function listRuns(db: Db, opts: { pipeline?: string; limit?: number } = {}): Promise<PipelineRunRow[]> {
  const where = opts.pipeline ? 'WHERE pipeline = ?' : '';
  const params: unknown[] = opts.pipeline ? [opts.pipeline] : [];
  params.push(Math.max(1, Math.min(opts.limit ?? 200, 1000)));
  const rows = await db.all<PipelineRunRow>(`SELECT ${RUN_COLUMNS} FROM pipeline_runs ${where} ORDER BY finished_at DESC, id LIMIT ?`, params);
  return rows.map(runRow);
}

export async function pipelineWatermark(db: Db, pipeline: string): Promise<string | null> {
  const rows = await db.all<{ w: string | null }>(`SELECT max(watermark) AS w FROM pipeline_runs WHERE pipeline = ? AND status = 'completed'`, [pipeline]);
  return rows[0]?.w ?? null;
}

export async function insertRun(db: Db, r: Omit<PipelineRunRow, 'finished_at'>): Promise<void> {
  await db.run(
    `INSERT INTO pipeline_runs (id, pipeline, definition_version, logical_date, status, trigger, snapshot_hash, snapshot, files,
       skipped_files, job_ids, watermark, error_code, error_message, started_by, started_at)
     VALUES (?, ?, ?, CAST(? AS DATE), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMPTZ))`,
    [r.id, r.pipeline, r.definition_version, r.logical_date, r.status, r.trigger, r.snapshot_hash, r.snapshot, r.files,
      r.skipped_files, r.job_ids, r.watermark, r.error_code, r.error_message, r.started_by, r.started_at],
  );
}

export async function findMaterialisation(db: Db, mkey: string): Promise<{ upload_id: string; job_ids: string } | null> {
  const rows = await db.all<{ upload_id: string; job_ids: string }>(`SELECT upload_id, job_ids FROM pipeline_materialisations WHERE mkey = ?`, [mkey]);
  return rows[0] ?? null;
}

export async function insertMaterialisation(
  db: Db,
  m: { mkey: string; pipeline: string; sha256: string; uploadId: string; jobIds: string[]; runId: string },
): Promise<void> {
  await db.run(`INSERT INTO pipeline_materialisations (mkey, pipeline, sha256, upload_id, job_ids, run_id) VALUES (?, ?, ?, ?, ?, ?)`, [
    m.mkey,
    m.pipeline,
    m.sha256,
    m.uploadId,
    JSON.stringify(m.jobIds),
    m.runId,
  ]);
}
