import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { backfillPipeline } from '../../lib/server/pipelines/backfill-pipeline';
import { runPipelineForDate } from '../../lib/server/pipelines/run-pipeline-date';
import { confirmationsCsv, openPipelineEnv, type PipelineEnv } from './pipeline-harness';

const def = { name: 'desk-a', source: { dir: 'desk-a' }, parser: 'confirmations_csv', filters: { extension: 'csv', since: 'P1D' } };

let env: PipelineEnv;
beforeEach(async () => {
  env = await openPipelineEnv();
});
afterEach(async () => {
  await env.cleanup();
});

const codeOf = async (p: Promise<unknown>) => p.then(() => 'no error', (e: { code?: string }) => e.code);

describe('apply', () => {
  it('stores a new version only when the definition changes, audited', async () => {
    expect(await env.apply(def)).toMatchObject({ version: 1, changed: true });
    expect(await env.apply(def)).toMatchObject({ version: 1, changed: false });
    expect(await env.apply({ ...def, filters: { extension: 'csv' } })).toMatchObject({ version: 2, changed: true });
    const audit = await env.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action = 'pipeline.applied'`);
    expect(audit).toHaveLength(2);
  });

  it('refuses .., absolute and symlinked escapes with pipeline.path_escape', async () => {
    expect(await codeOf(env.apply({ ...def, source: { dir: '../outside' } }))).toBe('pipeline.path_escape');
    expect(await codeOf(env.apply({ ...def, source: { dir: env.tmp } }))).toBe('pipeline.path_escape');
    const outside = path.join(env.tmp, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, path.join(env.root, 'sneaky'));
    expect(await codeOf(env.apply({ ...def, source: { dir: 'sneaky' } }))).toBe('pipeline.path_escape');
    expect(await codeOf(env.apply({ ...def, export: { dir: 'sneaky/out' } }))).toBe('pipeline.path_escape');
    expect(await env.count('pipeline_definitions')).toBe(0);
  });

  it('never selects a file symlinked from outside the root', async () => {
    await env.apply(def);
    const outsideFile = path.join(env.tmp, 'secret.csv');
    writeFileSync(outsideFile, confirmationsCsv('X'));
    utimesSync(outsideFile, new Date('2024-03-05T10:00:00Z'), new Date('2024-03-05T10:00:00Z'));
    symlinkSync(outsideFile, path.join(env.root, 'desk-a', 'link.csv'));
    env.drop('desk-a/real.csv', confirmationsCsv('E1'), '2024-03-05T10:00:00Z');
    const r = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05', dryRun: true });
    expect(r.selected?.map((f) => f.path)).toEqual(['real.csv']);
  });
});

describe('run', () => {
  it('is idempotent per pipeline and logical date: the second run is a no-op that says so', async () => {
    await env.apply(def);
    env.drop('desk-a/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    env.drop('desk-a/b.csv', confirmationsCsv('E2'), '2024-03-05T17:00:00Z');
    env.drop('desk-a/old.csv', confirmationsCsv('E0'), '2024-03-03T09:00:00Z'); // outside `since`
    env.drop('desk-a/notes.txt', 'x', '2024-03-05T09:00:00Z'); // wrong extension

    const first = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05' });
    expect(first).toMatchObject({ status: 'completed', files: 2, skipped_files: 0 });
    expect(first.job_ids).toHaveLength(2);
    expect(await env.count('uploads')).toBe(2);
    expect(await env.count('jobs')).toBe(2);

    const second = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05' });
    expect(second.status).toBe('no_op');
    expect(second.message).toMatch(/Already run/);
    expect(second.snapshot_hash).toBe(first.snapshot_hash);
    expect(second.job_ids).toEqual(first.job_ids);
    expect(await env.count('uploads')).toBe(2);
    expect(await env.count('jobs')).toBe(2);
    expect(await env.count('pipeline_runs')).toBe(1);

    const runs = await env.db.all<{ watermark: string }>(`SELECT watermark FROM pipeline_runs`);
    expect(runs[0].watermark).toBe('2024-03-05T17:00:00.000Z');
  });

  it('skips files already processed under the same materialisation key on another date', async () => {
    await env.apply({ ...def, filters: { extension: 'csv' } }); // no `since`: every earlier file is selected
    env.drop('desk-a/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05' });
    env.drop('desk-a/b.csv', confirmationsCsv('E2'), '2024-03-06T09:00:00Z');
    const next = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-06' });
    expect(next).toMatchObject({ status: 'completed', files: 2, skipped_files: 1 });
    expect(next.job_ids).toHaveLength(1);
    expect(await env.count('jobs')).toBe(2);
  });

  it('dry run lists the files and the snapshot hash and writes nothing; the hash is stable and follows content', async () => {
    await env.apply(def);
    const file = env.drop('desk-a/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    env.drop('desk-a/b.csv', confirmationsCsv('E2'), '2024-03-05T10:00:00Z');
    const auditBefore = await env.count('audit_log');
    const one = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05', dryRun: true });
    const two = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05', dryRun: true });
    expect(one.status).toBe('dry_run');
    expect(one.selected?.map((f) => f.path)).toEqual(['a.csv', 'b.csv']);
    expect(one.snapshot_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(two.snapshot_hash).toBe(one.snapshot_hash);
    expect(await env.count('pipeline_runs')).toBe(0);
    expect(await env.count('uploads')).toBe(0);
    expect(await env.count('audit_log')).toBe(auditBefore);

    // Same size and mtime, different bytes: the hash changes.
    writeFileSync(file, confirmationsCsv('E9'));
    utimesSync(file, new Date('2024-03-05T09:00:00Z'), new Date('2024-03-05T09:00:00Z'));
    const changed = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05', dryRun: true });
    expect(changed.snapshot_hash).not.toBe(one.snapshot_hash);
  });

  it('records a failed run (not a no-op next time) and names unknown pipelines and bad dates', async () => {
    expect(await codeOf(runPipelineForDate(env.deps, { name: 'nope', logicalDate: '2024-03-05' }))).toBe('pipeline.not_found');
    await env.apply(def);
    expect(await codeOf(runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-13-05' }))).toBe('pipeline.bad_logical_date');
    env.drop('desk-a/empty.csv', '', '2024-03-05T09:00:00Z'); // refused by the upload store
    const failed = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05' });
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('upload.empty');
    env.drop('desk-a/empty.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    const retried = await runPipelineForDate(env.deps, { name: 'desk-a', logicalDate: '2024-03-05' });
    expect(retried.status).toBe('completed');
  });
});

describe('backfill', () => {
  it('runs every day of the range inclusive and resumes after an interruption', async () => {
    await env.apply(def);
    env.drop('desk-a/d1.csv', confirmationsCsv('E1'), '2024-03-04T09:00:00Z');
    env.drop('desk-a/d2.csv', confirmationsCsv('E2'), '2024-03-05T09:00:00Z');
    env.drop('desk-a/d3.csv', confirmationsCsv('E3'), '2024-03-06T09:00:00Z');

    // "Interrupted" backfill: only its first day completed.
    await runPipelineForDate({ ...env.deps, trigger: 'backfill' }, { name: 'desk-a', logicalDate: '2024-03-04' });

    const r = await backfillPipeline(env.deps, { name: 'desk-a', start: '2024-03-04', end: '2024-03-07' });
    expect(r.days.map((d) => [d.logical_date, d.status])).toEqual([
      ['2024-03-04', 'no_op'],
      ['2024-03-05', 'completed'],
      ['2024-03-06', 'completed'],
      ['2024-03-07', 'completed'],
    ]);
    expect(r.days.map((d) => d.files)).toEqual([1, 1, 1, 0]);
    expect(r).toMatchObject({ status: 'completed', completed: 3, skipped: 1, failed: 0 });
    expect(await env.count('jobs')).toBe(3);

    const again = await backfillPipeline(env.deps, { name: 'desk-a', start: '2024-03-04', end: '2024-03-07' });
    expect(again.days.every((d) => d.status === 'no_op')).toBe(true);
    expect(await env.count('pipeline_runs')).toBe(4);
    expect(await codeOf(backfillPipeline(env.deps, { name: 'desk-a', start: '2024-03-07', end: '2024-03-04' }))).toBe('pipeline.bad_range');
  });
});
