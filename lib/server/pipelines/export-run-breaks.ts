// The export step: once every job of a completed run is final, the run's breaks are written as
// CSV and Parquet into the pipeline's export directory under the root
// (<pipeline>_<logical date>_breaks.csv / .parquet), written to a temp name and renamed, and the
// export is recorded so it happens once per run.
import { copyFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataDir as defaultDataDir, type Db } from '../../../db/open';
import { latestDefinition } from '../../../db/pipelines/pipeline-queries';
import { insertExport, RUN_BREAK_COLUMNS, runBreakRows, runBreaksParquet, runsReadyForExport, type RunBreakRow } from '../../../db/pipelines/run-breaks-queries';
import type { PipelineDefinition } from '../../pipelines/pipeline-definition';
import { appendAudit } from '../audit/append-audit';
import { csvHeader, csvLine, type CsvColumn } from '../breaks/breaks-csv';
import { pipelineRoot, resolveUnderRoot } from './pipeline-root';

const COLUMNS: CsvColumn<RunBreakRow>[] = RUN_BREAK_COLUMNS.map((name) => ({
  name,
  kind: name === 'notional' ? 'number' : 'text',
  get: (r: RunBreakRow) => r[name],
}));

export interface ExportedRun {
  run_id: string;
  logical_date: string;
  csv: string;
  parquet: string;
  breaks: number;
}

export async function exportReadyRuns(deps: { db: Db; root?: string; dataDir?: string; actor?: string }, pipeline: string): Promise<ExportedRun[]> {
  const row = await latestDefinition(deps.db, pipeline);
  if (!row) return [];
  const def = JSON.parse(row.definition) as PipelineDefinition;
  if (!def.export) return [];
  const root = deps.root ?? pipelineRoot();
  const dir = await resolveUnderRoot(root, def.export.dir, { create: true });
  const out: ExportedRun[] = [];
  for (const run of await runsReadyForExport(deps.db, pipeline)) {
    const jobIds = JSON.parse(run.job_ids) as string[];
    const base = `${def.name}_${run.logical_date}_breaks`;
    const rows = await runBreakRows(deps.db, jobIds);
    const csvTmp = path.join(dir, `.${base}.csv.part`);
    await writeFile(csvTmp, csvHeader(COLUMNS) + rows.map((r) => csvLine(COLUMNS, r)).join(''));
    await rename(csvTmp, path.join(dir, `${base}.csv`));
    const parquet = await runBreaksParquet(deps.db, deps.dataDir ?? defaultDataDir(), jobIds);
    const parquetTmp = path.join(dir, `.${base}.parquet.part`);
    try {
      await copyFile(parquet, parquetTmp);
      await rename(parquetTmp, path.join(dir, `${base}.parquet`));
    } finally {
      await rm(parquet, { force: true });
    }
    const rel = path.posix.join(def.export.dir.replace(/\\/g, '/'), base);
    await deps.db.transaction(async (tx) => {
      await insertExport(tx, { runId: run.id, pipeline, csvPath: `${rel}.csv`, parquetPath: `${rel}.parquet`, breaks: rows.length });
      await appendAudit(tx, {
        actor: deps.actor ?? 'system',
        action: 'pipeline.exported',
        subject: `pipeline:${pipeline}@${run.logical_date}`,
        details: { run_id: run.id, csv: `${rel}.csv`, parquet: `${rel}.parquet`, breaks: rows.length },
      });
    });
    out.push({ run_id: run.id, logical_date: run.logical_date, csv: `${rel}.csv`, parquet: `${rel}.parquet`, breaks: rows.length });
  }
  return out;
}
