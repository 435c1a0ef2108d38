// Which pipeline run created a job: jobs → pipeline_materialisations (whose job_ids list holds
// the job) → pipeline_runs. A job uploaded by hand has no row. A materialisation is written
// before its run row (the run is recorded when it finishes), so the run side may be missing for
// a moment: the pipeline name then comes from the materialisation and the rest is null.
import type { Db } from '../open';

export interface JobPipelineRef {
  name: string;
  run_id: string;
  logical_date: string | null;
  snapshot_hash: string | null;
  trigger: string | null;
}

/** Databases opened without migration 005 (tests of earlier areas) have no pipeline tables. */
async function hasPipelineTables(db: Db): Promise<boolean> {
  const rows = await db.all<{ n: string }>(
    `SELECT count(*)::VARCHAR AS n FROM duckdb_tables() WHERE table_name IN ('pipeline_materialisations', 'pipeline_runs')`,
  );
  return Number(rows[0]?.n ?? 0) === 2;
}

/** The pipeline run of each given job that has one (the earliest materialisation when several name it). */
export async function pipelineRefsOfJobs(db: Db, jobIds: readonly string[]): Promise<Map<string, JobPipelineRef>> {
  const out = new Map<string, JobPipelineRef>();
  if (jobIds.length === 0 || !(await hasPipelineTables(db))) return out;
  const placeholders = jobIds.map(() => '?').join(', ');
  const rows = await db.all<{ job_id: string; pipeline: string; run_id: string; logical_date: string | null; snapshot_hash: string | null; trigger: string | null }>(
    `WITH m AS (
       SELECT unnest(CAST(json_extract_string(job_ids, '$[*]') AS VARCHAR[])) AS job_id, pipeline, run_id, created_at
       FROM pipeline_materialisations
     )
     SELECT m.job_id, m.pipeline, m.run_id, CAST(r.logical_date AS VARCHAR) AS logical_date, r.snapshot_hash, r.trigger
     FROM m LEFT JOIN pipeline_runs r ON r.id = m.run_id
     WHERE m.job_id IN (${placeholders})
     ORDER BY m.created_at, m.run_id`,
    [...jobIds],
  );
  for (const r of rows) {
    if (out.has(r.job_id)) continue;
    out.set(r.job_id, {
      name: r.pipeline,
      run_id: r.run_id,
      logical_date: r.logical_date ?? null,
      snapshot_hash: r.snapshot_hash ?? null,
      trigger: r.trigger ?? null,
    });
  }
  return out;
}
