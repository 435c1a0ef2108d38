// The CLI as a real process against a live HTTP server: no test starts the Next server, so a
// loopback server (test/support/loopback-route-server.ts) serves the real App Router handlers
// over a real DuckDB in a temp DATA_DIR (PIPELINE_ROOT defaults to DATA_DIR/inbox).
// `node bin/workbench.mjs pipeline …` then applies, dry-runs, runs twice and backfills, and the
// jobs API shows the pipeline, logical date and snapshot hash of the jobs the runs created.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-route-server';
import { confirmationsCsv } from './pipeline-harness';

const bin = path.join(process.cwd(), 'bin', 'workbench.mjs');
const PASSWORD = 'cli-live-password';
let tempRoot = '';
let inbox = '';
let baseUrl = '';
let server: LoopbackServer;
let closeDb: () => Promise<void>;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, 'pipeline', ...args],
      { env: { ...process.env, WORKBENCH_URL: baseUrl, WORKBENCH_USER: 'cli_ops', WORKBENCH_PASSWORD: PASSWORD }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function drop(rel: string, content: string, mtimeIso: string): void {
  const file = path.join(inbox, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  utimesSync(file, new Date(mtimeIso), new Date(mtimeIso));
}

beforeAll(async () => {
  tempRoot = mkdtempSync(path.join(tmpdir(), 'wb-pipelines-cli-live-'));
  process.env.DATA_DIR = path.join(tempRoot, 'data');
  delete process.env.PIPELINE_ROOT;
  inbox = path.join(process.env.DATA_DIR, 'inbox');
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const db = await open.getDb();
  const { createUser } = await import('../../lib/server/auth/users');
  await createUser(db, { username: 'cli_ops', password: PASSWORD, roles: ['ops'], actor: 'test' });
  server = await startLoopbackServer();
  baseUrl = server.baseUrl;
  const route = server.route.bind(server);
  route('GET', '/api/health', (await import('../../app/api/health/route')).GET);
  route('POST', '/api/auth/login', (await import('../../app/api/auth/login/route')).POST);
  const pipelines = await import('../../app/api/pipelines/route');
  route('GET', '/api/pipelines', pipelines.GET);
  route('POST', '/api/pipelines', pipelines.POST);
  route('POST', '/api/pipelines/[name]/run', (await import('../../app/api/pipelines/[name]/run/route')).POST);
  route('POST', '/api/pipelines/[name]/backfill', (await import('../../app/api/pipelines/[name]/backfill/route')).POST);
  route('POST', '/api/uploads', (await import('../../app/api/uploads/route')).POST);
  route('GET', '/api/jobs', (await import('../../app/api/jobs/route')).GET);
  route('GET', '/api/jobs/[id]', (await import('../../app/api/jobs/[id]/route')).GET);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await closeDb?.();
  rmSync(tempRoot, { recursive: true, force: true });
});

async function session(): Promise<string> {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cli_ops', password: PASSWORD }),
  });
  expect(login.status).toBe(200);
  return login.headers.getSetCookie()[0].split(';')[0];
}

async function apiGet(p: string): Promise<unknown> {
  const res = await fetch(`${baseUrl}${p}`, { headers: { cookie: await session() } });
  expect(res.status).toBe(200);
  return res.json();
}

interface RunJson {
  status: string;
  logical_date: string;
  snapshot_hash: string | null;
  files: number;
  job_ids: string[];
  selected?: { path: string }[];
}

describe('workbench pipeline against a live server', () => {
  it('applies, dry-runs, runs (completed then no_op) and backfills three days; the jobs API shows the runs', async () => {
    drop('desk-c/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    drop('desk-c/b.csv', confirmationsCsv('E2'), '2024-03-06T10:00:00Z');
    drop('desk-c/c.csv', confirmationsCsv('E3'), '2024-03-07T11:00:00Z');
    drop('desk-c/ignored.txt', 'not a csv', '2024-03-05T09:00:00Z');
    const defFile = path.join(tempRoot, 'desk-c.json');
    writeFileSync(defFile, JSON.stringify({ name: 'desk-c', source: { dir: 'desk-c' }, parser: 'confirmations_csv', filters: { glob: '*.csv', since: 'P1D' } }));

    const applied = await cli(['apply', defFile, '--json']);
    expect(applied.stderr).toBe('');
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({ name: 'desk-c', version: 1, changed: true });
    const again = await cli(['apply', defFile]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe('desk-c: unchanged (version 1)');
    // The same definition written as YAML is the same document: no new version.
    const yamlFile = path.join(tempRoot, 'desk-c.yaml');
    writeFileSync(yamlFile, ['name: desk-c', 'source:', '  dir: desk-c', 'parser: confirmations_csv', 'filters:', "  glob: '*.csv'", '  since: P1D', ''].join('\n'));
    const fromYaml = await cli(['apply', yamlFile]);
    expect(fromYaml.stderr).toBe('');
    expect(fromYaml.stdout.trim()).toBe('desk-c: unchanged (version 1)');
    writeFileSync(yamlFile, 'name: [desk-c\n');
    const badYaml = await cli(['apply', yamlFile]);
    expect(badYaml.code).toBe(2);
    expect(badYaml.stderr).toMatch(/is not valid YAML/);

    const dry = await cli(['run', 'desk-c', '--logical-date', '2024-03-05', '--dry-run', '--json']);
    expect(dry.code).toBe(0);
    const dryJson = JSON.parse(dry.stdout) as RunJson;
    expect(dryJson).toMatchObject({ status: 'dry_run', logical_date: '2024-03-05', files: 1, job_ids: [] });
    expect(dryJson.snapshot_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(dryJson.selected?.map((f) => f.path)).toEqual(['a.csv']);

    const first = await cli(['run', 'desk-c', '--logical-date', '2024-03-05', '--json']);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const one = JSON.parse(first.stdout) as RunJson;
    expect(one).toMatchObject({ status: 'completed', logical_date: '2024-03-05', files: 1, snapshot_hash: dryJson.snapshot_hash });
    expect(one.job_ids).toHaveLength(1);

    const second = await cli(['run', 'desk-c', '--logical-date', '2024-03-05', '--json']);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'no_op', logical_date: '2024-03-05', files: 1, snapshot_hash: one.snapshot_hash, job_ids: one.job_ids });

    const bf = await cli(['backfill', 'desk-c', '--start', '2024-03-05', '--end', '2024-03-07', '--json']);
    expect(bf.stderr).toBe('');
    expect(bf.code).toBe(0);
    const b = JSON.parse(bf.stdout) as { status: string; days: RunJson[]; completed: number; skipped: number; failed: number };
    expect(b).toMatchObject({ status: 'completed', completed: 2, skipped: 1, failed: 0 });
    expect(b.days.map((d) => [d.logical_date, d.status, d.files, d.job_ids.length])).toEqual([
      ['2024-03-05', 'no_op', 1, 1],
      ['2024-03-06', 'completed', 1, 1],
      ['2024-03-07', 'completed', 1, 1],
    ]);
    expect(new Set(b.days.map((d) => d.snapshot_hash)).size).toBe(3);

    const detail = (await apiGet(`/api/jobs/${one.job_ids[0]}`)) as { id: string; status: string; pipeline: unknown };
    expect(detail.id).toBe(one.job_ids[0]);
    expect(detail.pipeline).toMatchObject({ name: 'desk-c', logical_date: '2024-03-05', snapshot_hash: one.snapshot_hash, trigger: 'run' });
    // A file uploaded by hand: its job has no pipeline.
    const upload = await fetch(`${baseUrl}/api/uploads?kind=confirmations&filename=hand.csv`, {
      method: 'POST',
      headers: { cookie: await session(), 'content-type': 'application/octet-stream' },
      body: confirmationsCsv('H1'),
    });
    expect(upload.status).toBe(201);
    const handJobs = ((await upload.json()) as { job_ids: string[] }).job_ids;
    expect(handJobs).toHaveLength(1);
    expect(((await apiGet(`/api/jobs/${handJobs[0]}`)) as { pipeline: unknown }).pipeline).toBeNull();

    const listed = (await apiGet('/api/jobs')) as { jobs: { id: string; pipeline: { name: string; logical_date: string; snapshot_hash: string } | null }[] };
    const byDate = new Map(listed.jobs.filter((j) => j.pipeline).map((j) => [j.pipeline!.logical_date, j]));
    expect(listed.jobs).toHaveLength(4);
    expect(listed.jobs.find((j) => j.id === handJobs[0])?.pipeline).toBeNull();
    for (const d of b.days) expect(byDate.get(d.logical_date)).toMatchObject({ id: d.job_ids[0], pipeline: { name: 'desk-c', snapshot_hash: d.snapshot_hash } });
  }, 600_000);

  it('prints a readable run, and refuses an unknown pipeline, a reversed range and a wrong password with the server error code', async () => {
    const text = await cli(['run', 'desk-c', '--logical-date', '2024-03-06']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^no_op: Already run for 2024-03-06/);
    expect(text.stdout).toMatch(/snapshot [0-9a-f]{64}; files 1; jobs /);

    const missing = await cli(['run', 'nope', '--logical-date', '2024-03-06', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr.trim()).toMatch(/^workbench pipeline: pipeline\.not_found: /);

    const badDate = await cli(['backfill', 'desk-c', '--start', '2024-03-07', '--end', '2024-03-05', '--json']);
    expect(badDate.code).toBe(1);
    expect(badDate.stderr.trim()).toMatch(/^workbench pipeline: pipeline\.bad_range: /);

    const wrong = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [bin, 'pipeline', 'run', 'desk-c', '--logical-date', '2024-03-06'],
        { env: { ...process.env, WORKBENCH_URL: baseUrl, WORKBENCH_USER: 'cli_ops', WORKBENCH_PASSWORD: 'wrong' }, timeout: 120_000 },
        (err, _out, stderr) => resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stderr }),
      );
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('login as cli_ops failed: auth.invalid_credentials');
  }, 600_000);
});
