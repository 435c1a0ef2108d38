// The pipeline scheduler: each tick runs, for every scheduled pipeline, the cron firings in
// (last tick, now] — a late tick catches up, none runs twice. A firing at time T runs the logical
// date before T's UTC date (the last complete day, as a daily drop-directory job expects); runs
// are idempotent per logical date, so a firing repeated after a restart is a no-op.
// The clock is injected (tests pass their own `now`); startPipelineScheduler uses the real one.
import { DateTime } from 'luxon';
import type { Db } from '../../../db/open';
import { getDb } from '../../../db/open';
import { listLatestDefinitions } from '../../../db/pipelines/pipeline-queries';
import { firingsBetween, parseCron } from '../../pipelines/cron-schedule';
import type { PipelineDefinition } from '../../pipelines/pipeline-definition';
import { exportReadyRuns, type ExportedRun } from './export-run-breaks';
import { runPipelineForDate, type RunOutcome } from './run-pipeline-date';

export interface TickDeps {
  db: Db;
  root?: string;
  dataDir?: string;
}

export interface Firing {
  pipeline: string;
  at: string;
  outcome: RunOutcome | { status: 'error'; code: string; message: string };
}

export function logicalDateForFiring(at: DateTime): string {
  return at.toUTC().startOf('day').minus({ days: 1 }).toISODate()!;
}

export async function schedulerTick(deps: TickDeps, window: { after: DateTime; now: DateTime }): Promise<Firing[]> {
  const out: Firing[] = [];
  for (const row of await listLatestDefinitions(deps.db)) {
    const def = JSON.parse(row.definition) as PipelineDefinition;
    if (!def.schedule) continue;
    const cron = parseCron(def.schedule);
    if (!cron.ok) continue; // validated at apply; an unreadable one never fires
    for (const at of firingsBetween(cron.schedule, window.after, window.now, 100)) {
      let outcome: Firing['outcome'];
      try {
        outcome = await runPipelineForDate(
          { db: deps.db, actor: 'system', root: deps.root, dataDir: deps.dataDir, trigger: 'schedule' },
          { name: def.name, logicalDate: logicalDateForFiring(at) },
        );
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        outcome = { status: 'error', code: typeof code === 'string' ? code : 'pipeline.schedule_failed', message: (e as Error).message };
      }
      out.push({ pipeline: def.name, at: at.toISO()!, outcome });
    }
  }
  return out;
}

/** The export step of every pipeline that has one, for its completed runs whose jobs are all final. */
export async function exportTick(deps: TickDeps): Promise<ExportedRun[]> {
  const out: ExportedRun[] = [];
  for (const row of await listLatestDefinitions(deps.db)) {
    const def = JSON.parse(row.definition) as PipelineDefinition;
    if (def.export) out.push(...(await exportReadyRuns(deps, def.name)));
  }
  return out;
}

type GlobalWithScheduler = typeof globalThis & { __workbenchPipelineScheduler?: NodeJS.Timeout };

/** Starts a once-a-minute tick in this process (one per process); returns a stop function. */
export function startPipelineScheduler(opts: { intervalMs?: number; now?: () => DateTime } = {}): () => void {
  const g = globalThis as GlobalWithScheduler;
  if (g.__workbenchPipelineScheduler) clearInterval(g.__workbenchPipelineScheduler);
  const now = opts.now ?? (() => DateTime.utc());
  let after = now();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    const upTo = now();
    void (async () => {
      try {
        const db = await getDb();
        await schedulerTick({ db }, { after, now: upTo });
        after = upTo;
        await exportTick({ db });
      } catch (e) {
        console.error('pipeline scheduler: tick failed', e);
      } finally {
        busy = false;
      }
    })();
  }, opts.intervalMs ?? 60_000);
  timer.unref();
  g.__workbenchPipelineScheduler = timer;
  return () => {
    clearInterval(timer);
    if (g.__workbenchPipelineScheduler === timer) delete g.__workbenchPipelineScheduler;
  };
}
