// The export step: after a run's jobs are final, its breaks (those whose evidence names one of
// its jobs) are written as CSV and Parquet into the export directory under the root, once.
import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runPipelineForDate } from '../../lib/server/pipelines/run-pipeline-date';
import { exportTick } from '../../lib/server/pipelines/scheduler-tick';
import { confirmationsCsv, openPipelineEnv, type PipelineEnv } from './pipeline-harness';

let env: PipelineEnv;
beforeEach(async () => {
  env = await openPipelineEnv();
});
afterEach(async () => {
  await env.cleanup();
});

async function insertBreak(id: string, jobId: string) {
  await env.db.run(
    `INSERT INTO breaks (break_id, class, family, match_key, severity, notional, details, evidence, first_seen, last_seen)
     VALUES (?, 'unmatched_fill', 'counterparty', ?, 'high', 1234.5000000000, '{}', ?, now(), now())`,
    [id, id, JSON.stringify([{ output: 'confirmations', job_id: jobId }])],
  );
}

describe('export step', () => {
  it('writes the run breaks as CSV and Parquet under the root once the jobs are final, once', async () => {
    const tick = { db: env.db, root: env.root, dataDir: env.dataDir };
    await env.apply({ name: 'desk-x', source: { dir: 'desk-x' }, parser: 'confirmations_csv', export: { dir: 'exports/desk-x' } });
    env.drop('desk-x/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    const run = await runPipelineForDate(env.deps, { name: 'desk-x', logicalDate: '2024-03-05' });
    expect(run.job_ids).toHaveLength(1);
    await insertBreak('b1', run.job_ids[0]);
    await insertBreak('b2', 'some-other-job');

    expect(await exportTick(tick)).toEqual([]); // the job is not final yet
    await env.db.run(`UPDATE jobs SET status = 'SUCCESS' WHERE id = ?`, [run.job_ids[0]]);
    const exported = await exportTick(tick);
    expect(exported).toEqual([
      expect.objectContaining({ logical_date: '2024-03-05', breaks: 1, csv: 'exports/desk-x/desk-x_2024-03-05_breaks.csv' }),
    ]);
    const csv = readFileSync(path.join(env.root, exported[0].csv), 'utf8');
    expect(csv.split('\r\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain('b1,unmatched_fill');
    expect(csv).not.toContain('b2');
    // The hardened instance reads only DATA_DIR: read a copy of the Parquet file back from there.
    const copy = path.join(env.dataDir, 'exported-copy.parquet');
    copyFileSync(path.join(env.root, exported[0].parquet), copy);
    const back = await env.db.all<{ id: string; notional: string; t: string }>(
      `SELECT break_id AS id, CAST(notional AS VARCHAR) AS notional, typeof(notional) AS t FROM read_parquet(?)`,
      [copy],
    );
    expect(back).toEqual([{ id: 'b1', notional: '1234.5000000000', t: 'DECIMAL(38,10)' }]);
    expect(await exportTick(tick)).toEqual([]);
  });
});
