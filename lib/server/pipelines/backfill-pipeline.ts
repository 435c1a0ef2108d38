// backfill --start --end: one run per day, inclusive, oldest first. Resumable: a day with a
// completed run is a no-op, so re-issuing an interrupted backfill does only the remaining days.
// Stops at the first failed day (later days would otherwise run on a broken basis).
import { daysInRange } from '../../pipelines/logical-date';
import { ApiError } from '../http/api-error';
import { runPipelineForDate, type RunDeps, type RunOutcome } from './run-pipeline-date';

export interface BackfillOutcome {
  pipeline: string;
  start: string;
  end: string;
  status: 'completed' | 'failed';
  days: RunOutcome[];
  completed: number;
  skipped: number;
  failed: number;
}

export async function backfillPipeline(
  deps: RunDeps,
  input: { name: string; start: string; end: string; onDay?: (r: RunOutcome) => void },
): Promise<BackfillOutcome> {
  const range = daysInRange(input.start, input.end);
  if (!range.ok) throw new ApiError(range.code, 400, range.message);
  const days: RunOutcome[] = [];
  for (const day of range.days) {
    const r = await runPipelineForDate({ ...deps, trigger: deps.trigger ?? 'backfill' }, { name: input.name, logicalDate: day });
    days.push(r);
    input.onDay?.(r);
    if (r.status === 'failed') break;
  }
  const count = (s: string) => days.filter((d) => d.status === s).length;
  return {
    pipeline: input.name,
    start: range.days[0],
    end: range.days[range.days.length - 1],
    status: count('failed') > 0 ? 'failed' : 'completed',
    days,
    completed: count('completed'),
    skipped: count('no_op'),
    failed: count('failed'),
  };
}
