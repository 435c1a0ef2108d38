// What routes and pages call: the pipeline operations bound to the process database.
import { getDb } from '../../../db/open';
import { listLatestDefinitions, listRuns, pipelineWatermark, type PipelineRunRow } from '../../../db/pipelines/pipeline-queries';
import type { PipelineDefinition } from '../../pipelines/pipeline-definition';
import { applyDefinition } from './apply-definition';
import { backfillPipeline } from './backfill-pipeline';
import { runPipelineForDate } from './run-pipeline-date';

export interface PipelineView {
  name: string;
  version: number;
  definition: PipelineDefinition;
  created_by: string;
  created_at: string;
  watermark: string | null;
}

export interface PipelineRunView extends Omit<PipelineRunRow, 'snapshot' | 'job_ids'> {
  job_ids: string[];
}

export async function listPipelines(): Promise<PipelineView[]> {
  const db = await getDb();
  const rows = await listLatestDefinitions(db);
  const out: PipelineView[] = [];
  for (const r of rows) {
    out.push({
      name: r.name,
      version: r.version,
      definition: JSON.parse(r.definition) as PipelineDefinition,
      created_by: r.created_by,
      created_at: r.created_at,
      watermark: await pipelineWatermark(db, r.name),
    });
  }
  return out;
}

export async function listPipelineRuns(opts: { pipeline?: string; limit?: number } = {}): Promise<PipelineRunView[]> {
  const rows = await listRuns(await getDb(), opts);
  return rows.map(({ snapshot: _snapshot, job_ids, ...r }) => ({ ...r, job_ids: JSON.parse(job_ids) as string[] }));
}

export async function applyPipeline(input: unknown, actor: string) {
  return applyDefinition(await getDb(), input, { actor });
}

export async function runPipeline(input: { name: string; logicalDate: string; dryRun?: boolean }, actor: string) {
  return runPipelineForDate({ db: await getDb(), actor }, input);
}

export async function backfill(input: { name: string; start: string; end: string }, actor: string) {
  return backfillPipeline({ db: await getDb(), actor }, input);
}
