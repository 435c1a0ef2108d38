// The maker-checker matrix through the real route handlers (the functions Next.js calls) with
// session cookies, against a real DuckDB in a temp DATA_DIR: status codes and error codes as
// a client sees them, the response shapes of POST /api/contracts and GET /api/contracts.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIONS, ACTORS, STATES, confirmationsDoc, createCast, expected, type Action, type ActorName, type State } from './governance-harness';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
interface Routes {
  list: Handler;
  create: Handler;
  edit: Handler;
  submit: Handler;
  approve: Handler;
  reject: Handler;
}
let routes: Routes;
let cookies: Record<string, string>;
let closeDb: () => Promise<void>;
let root = '';
let seq = 0;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'wb-gov-http-'));
  process.env.DATA_DIR = path.join(root, 'data');
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const db = (await open.getDb()) as Parameters<typeof createCast>[0];
  await createCast(db);
  const { createSession } = await import('../../lib/server/auth/sessions');
  cookies = {};
  for (const name of ACTORS) cookies[name] = `wb_session=${(await createSession(db, name)).token}`;
  const base = '../../app/api/contracts';
  routes = {
    list: (await import(`${base}/route`)).GET,
    create: (await import(`${base}/route`)).POST,
    edit: (await import(`${base}/[id]/versions/[v]/route`)).PUT,
    submit: (await import(`${base}/[id]/versions/[v]/submit/route`)).POST,
    approve: (await import(`${base}/[id]/versions/[v]/approve/route`)).POST,
    reject: (await import(`${base}/[id]/versions/[v]/reject/route`)).POST,
  };
});
afterAll(async () => {
  await closeDb?.();
  rmSync(root, { recursive: true, force: true });
});

function call(handler: Handler, actor: ActorName, method: string, p: string, body?: unknown, params: Record<string, string> = {}): Promise<Response> {
  const req = new Request(`http://workbench.test${p}`, {
    method,
    headers: { host: 'workbench.test', cookie: cookies[actor], 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return handler(req, { params: Promise.resolve(params) });
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

type Created = { id: string; version: number; status: string; content_hash: string };

function vp(v: { id: string; version: number }) {
  return { path: `/api/contracts/${v.id}/versions/${v.version}`, params: { id: v.id, v: String(v.version) } };
}

async function versionIn(state: State): Promise<{ id: string; version: number; hash: string }> {
  const tag = `s${seq++}`;
  const created = await ok<Created>(await call(routes.create, 'alice', 'POST', '/api/contracts', confirmationsDoc(tag)), 201);
  const { path: p, params } = vp(created);
  const edited = await ok<Created>(await call(routes.edit, 'eddie', 'PUT', p, confirmationsDoc(`${tag}-e`), params));
  const v = { id: created.id, version: created.version, hash: edited.content_hash };
  if (state === 'draft') return v;
  await ok(await call(routes.submit, 'alice', 'POST', `${p}/submit`, undefined, params));
  if (state === 'submitted') return v;
  if (state === 'rejected') {
    await ok(await call(routes.reject, 'rita', 'POST', `${p}/reject`, { comment: 'no' }, params));
    return v;
  }
  await ok(await call(routes.approve, 'rita', 'POST', `${p}/approve`, { content_hash: v.hash, comment: null }, params));
  if (state === 'approved') return v;
  const next = await ok<Created>(await call(routes.create, 'eddie', 'POST', '/api/contracts', confirmationsDoc(`${tag}-n`)), 201);
  await ok(await call(routes.submit, 'eddie', 'POST', `${vp(next).path}/submit`, undefined, vp(next).params));
  await ok(await call(routes.approve, 'rita', 'POST', `${vp(next).path}/approve`, { content_hash: next.content_hash }, vp(next).params));
  return v;
}

function act(actor: ActorName, action: Action, v: { id: string; version: number; hash: string }): Promise<Response> {
  const { path: p, params } = vp(v);
  if (action === 'submit') return call(routes.submit, actor, 'POST', `${p}/submit`, undefined, params);
  if (action === 'approve') return call(routes.approve, actor, 'POST', `${p}/approve`, { content_hash: v.hash, comment: 'fine' }, params);
  return call(routes.reject, actor, 'POST', `${p}/reject`, { comment: 'not like this' }, params);
}

const AFTER: Record<Action, string> = { submit: 'submitted', approve: 'approved', reject: 'rejected' };

async function versionStatus(v: { id: string; version: number }): Promise<string> {
  const list = await ok<{ contracts: { id: string; approved: { version: number } | null; pending: { version: number; status: string }[] }[] }>(
    await call(routes.list, 'ana', 'GET', '/api/contracts'),
  );
  const c = list.contracts.find((x) => x.id === v.id)!;
  if (c.approved?.version === v.version) return 'approved';
  return c.pending.find((p) => p.version === v.version)?.status ?? 'decided-or-superseded';
}

describe('maker-checker matrix (HTTP route handlers)', () => {
  for (const state of STATES) {
    it(`every actor × action on a ${state} version`, async () => {
      for (const actor of ACTORS) {
        for (const action of ACTIONS) {
          const v = await versionIn(state);
          const want = expected(actor, action, state, 'http');
          const res = await act(actor, action, v);
          const body = await res.json();
          const key = `${actor} ${action} ${state}`;
          expect(res.status, `${key}: ${JSON.stringify(body)}`).toBe(want.status);
          if (want.code === 'ok') {
            expect(body, key).toMatchObject({ id: v.id, version: v.version, status: AFTER[action], content_hash: v.hash });
          } else {
            expect(body.error.code, key).toBe(want.code);
            expect(Object.keys(body).sort()).toEqual(['error', 'request_id']);
          }
          const now = await versionStatus(v);
          const stays = state === 'rejected' || state === 'superseded' ? 'decided-or-superseded' : state;
          expect(now, `${key}: status after`).toBe(want.code === 'ok' ? (AFTER[action] === 'rejected' ? 'decided-or-superseded' : AFTER[action]) : stays);
        }
      }
    });
  }

  it('POST /api/contracts answers exactly {id, version, status, content_hash}; bad documents list their problems', async () => {
    const res = await call(routes.create, 'alice', 'POST', '/api/contracts', confirmationsDoc(`c${seq++}`));
    const body = await ok<Created>(res, 201);
    expect(Object.keys(body).sort()).toEqual(['content_hash', 'id', 'status', 'version']);
    expect(body.status).toBe('draft');
    expect(body.content_hash).toMatch(/^[0-9a-f]{64}$/);
    const bad = await call(routes.create, 'alice', 'POST', '/api/contracts', { ...confirmationsDoc('bad'), mode: 'lenient', columns: [] });
    expect(bad.status).toBe(400);
    const err = await bad.json();
    expect(err.error.code).toBe('contract.invalid');
    expect(err.error.details.map((p: { path: string }) => p.path)).toEqual(expect.arrayContaining(['mode', 'columns']));
    const notAuthor = await call(routes.create, 'rita', 'POST', '/api/contracts', confirmationsDoc('r'));
    expect(notAuthor.status).toBe(403);
    expect((await notAuthor.json()).error.code).toBe('auth.forbidden');
  });

  it('approve answers 409 contract.hash_mismatch for another hash, 400 for a malformed one; reject needs a comment', async () => {
    const v = await versionIn('submitted');
    const { path: p, params } = vp(v);
    const mismatch = await call(routes.approve, 'rita', 'POST', `${p}/approve`, { content_hash: 'f'.repeat(64) }, params);
    expect(mismatch.status).toBe(409);
    expect((await mismatch.json()).error.code).toBe('contract.hash_mismatch');
    const malformed = await call(routes.approve, 'rita', 'POST', `${p}/approve`, { content_hash: 'nope' }, params);
    expect(malformed.status).toBe(400);
    const noComment = await call(routes.reject, 'rita', 'POST', `${p}/reject`, { comment: '' }, params);
    expect(noComment.status).toBe(400);
    const missing = await call(routes.approve, 'rita', 'POST', '/api/contracts/nope/versions/1/approve', { content_hash: v.hash }, { id: 'nope', v: '1' });
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('contract.not_found');
    expect(await versionStatus(v)).toBe('submitted');
  });
});
