// The pipeline API through its real route handlers against a real database in a temp DATA_DIR
// (PIPELINE_ROOT defaults to DATA_DIR/inbox): apply, run (and the no-op second run), dry run,
// backfill, the list, and permissions (an analyst may not run).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmationsCsv } from './pipeline-harness';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
const BASE = 'http://workbench.test';
let tempRoot = '';
let inbox = '';
let closeDb: () => Promise<void>;
let list: Handler, apply: Handler, runRoute: Handler, backfillRoute: Handler;
const cookies: Record<string, string> = {};

function req(p: string, cookie: string, body?: unknown): Request {
  return new Request(`${BASE}${p}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { host: 'workbench.test', cookie, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
const ctx = (name: string) => ({ params: Promise.resolve({ name }) });

beforeAll(async () => {
  tempRoot = mkdtempSync(path.join(tmpdir(), 'wb-pipelines-api-'));
  process.env.DATA_DIR = path.join(tempRoot, 'data');
  delete process.env.PIPELINE_ROOT;
  inbox = path.join(process.env.DATA_DIR, 'inbox');
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const db = await open.getDb();
  const { createUser } = await import('../../lib/server/auth/users');
  const { createSession } = await import('../../lib/server/auth/sessions');
  for (const role of ['ops', 'analyst'] as const) {
    await createUser(db, { username: `u_${role}`, password: 'x', roles: [role], actor: 'test' });
    cookies[role] = `wb_session=${(await createSession(db, `u_${role}`)).token}`;
  }
  const root = await import('../../app/api/pipelines/route');
  list = root.GET as Handler;
  apply = root.POST as Handler;
  runRoute = (await import('../../app/api/pipelines/[name]/run/route')).POST as Handler;
  backfillRoute = (await import('../../app/api/pipelines/[name]/backfill/route')).POST as Handler;
});
afterAll(async () => {
  await closeDb();
  rmSync(tempRoot, { recursive: true, force: true });
});

function drop(rel: string, content: string, mtimeIso: string) {
  const file = path.join(inbox, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  utimesSync(file, new Date(mtimeIso), new Date(mtimeIso));
}

describe('pipeline API', () => {
  it('applies, runs once, answers no_op the second time, dry-runs and backfills', async () => {
    const def = { name: 'desk-b', source: { dir: 'desk-b' }, parser: 'confirmations_csv', filters: { glob: '*.csv', since: 'P1D' } };
    const applied = await apply(req('/api/pipelines', cookies.ops, def), {});
    expect(applied.status).toBe(201);
    expect(await applied.json()).toMatchObject({ name: 'desk-b', version: 1, changed: true });
    const escape = await apply(req('/api/pipelines', cookies.ops, { ...def, source: { dir: '../../etc' } }), {});
    expect(escape.status).toBe(400);
    expect((await escape.json()).error.code).toBe('pipeline.path_escape');

    drop('desk-b/a.csv', confirmationsCsv('E1'), '2024-03-05T09:00:00Z');
    const dry = await (await runRoute(req('/api/pipelines/desk-b/run', cookies.ops, { logical_date: '2024-03-05', dry_run: true }), ctx('desk-b'))).json();
    expect(dry).toMatchObject({ status: 'dry_run', files: 1, job_ids: [] });

    const first = await runRoute(req('/api/pipelines/desk-b/run', cookies.ops, { logical_date: '2024-03-05' }), ctx('desk-b'));
    expect(first.status).toBe(200);
    const one = await first.json();
    expect(one).toMatchObject({ status: 'completed', logical_date: '2024-03-05', files: 1, snapshot_hash: dry.snapshot_hash });
    expect(one.job_ids).toHaveLength(1);
    const two = await (await runRoute(req('/api/pipelines/desk-b/run', cookies.ops, { logical_date: '2024-03-05' }), ctx('desk-b'))).json();
    expect(two).toMatchObject({ status: 'no_op', job_ids: one.job_ids, snapshot_hash: one.snapshot_hash });

    const bf = await (await backfillRoute(req('/api/pipelines/desk-b/backfill', cookies.ops, { start: '2024-03-04', end: '2024-03-06' }), ctx('desk-b'))).json();
    expect(bf.days.map((d: { status: string }) => d.status)).toEqual(['completed', 'no_op', 'completed']);

    const listed = await (await list(req('/api/pipelines', cookies.ops), {})).json();
    expect(listed.pipelines.map((p: { name: string }) => p.name)).toEqual(['desk-b']);
    expect(listed.pipelines[0].watermark).toBe('2024-03-05T09:00:00.000Z');
    expect(listed.runs).toHaveLength(3);

    const forbidden = await runRoute(req('/api/pipelines/desk-b/run', cookies.analyst, { logical_date: '2024-03-07' }), ctx('desk-b'));
    expect(forbidden.status).toBe(403);
    const missing = await runRoute(req('/api/pipelines/nope/run', cookies.ops, { logical_date: '2024-03-07' }), ctx('nope'));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('pipeline.not_found');
  });
});
