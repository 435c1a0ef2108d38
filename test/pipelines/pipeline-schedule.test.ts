// Scheduled runs with an injected clock: the tick runs the firings in (after, now], for the day
// before each firing, and a repeated window does nothing new.
import { DateTime } from 'luxon';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logicalDateForFiring, schedulerTick } from '../../lib/server/pipelines/scheduler-tick';
import { confirmationsCsv, openPipelineEnv, type PipelineEnv } from './pipeline-harness';

let env: PipelineEnv;
beforeEach(async () => {
  env = await openPipelineEnv();
});
afterEach(async () => {
  await env.cleanup();
});

const at = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' });

describe('scheduler tick', () => {
  it('fires scheduled pipelines at their cron minutes for the previous day, once', async () => {
    await env.apply({ name: 'nightly', source: { dir: 'nightly' }, parser: 'confirmations_csv', filters: { since: 'P1D' }, schedule: '30 6 * * 1-5' });
    await env.apply({ name: 'manual', source: { dir: 'manual' }, parser: 'confirmations_csv' });
    env.drop('nightly/mon.csv', confirmationsCsv('E1'), '2024-03-11T15:00:00Z');
    env.drop('manual/x.csv', confirmationsCsv('E2'), '2024-03-11T15:00:00Z');
    const tick = { db: env.db, root: env.root, dataDir: env.dataDir };

    expect(logicalDateForFiring(at('2024-03-12T06:30:00Z'))).toBe('2024-03-11');
    expect(await schedulerTick(tick, { after: at('2024-03-12T06:00:00Z'), now: at('2024-03-12T06:29:59Z') })).toEqual([]);

    const fired = await schedulerTick(tick, { after: at('2024-03-12T06:29:59Z'), now: at('2024-03-12T06:31:00Z') });
    expect(fired.map((f) => [f.pipeline, f.at, f.outcome.status])).toEqual([['nightly', '2024-03-12T06:30:00.000Z', 'completed']]);
    expect(fired[0].outcome).toMatchObject({ logical_date: '2024-03-11', files: 1 });

    // The same window again (e.g. after a restart): the run is a no-op.
    const again = await schedulerTick(tick, { after: at('2024-03-12T06:29:59Z'), now: at('2024-03-12T06:31:00Z') });
    expect(again.map((f) => f.outcome.status)).toEqual(['no_op']);
    const runs = await env.db.all<{ trigger: string; started_by: string }>(`SELECT trigger, started_by FROM pipeline_runs`);
    expect(runs).toEqual([{ trigger: 'schedule', started_by: 'system' }]);

    // The weekend does not fire.
    expect(await schedulerTick(tick, { after: at('2024-03-16T00:00:00Z'), now: at('2024-03-17T23:59:00Z') })).toEqual([]);
  });
});
