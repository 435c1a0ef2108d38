// The HTTP API through its real route handlers (the functions Next.js calls), against a real
// database in a temp DATA_DIR: one error shape everywhere, 401/403 from the permission table,
// cross-origin POSTs refused, login cookie flags, uploads end to end into H6's jobs.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './temp-db';
import { ROUTE_BASE, routeRequest } from '../support/route-request';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;

const SOH = '\x01';
const FIX = Buffer.from(`8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}34=1${SOH}10=000${SOH}\n`.repeat(20));

let login: Handler, logout: Handler, health: Handler, verify: Handler, uploads: Handler, unknown: Handler;
let closeDb: () => Promise<void>;
let tempRoot = '';

const req = routeRequest;

async function sessionOf(username: string): Promise<string> {
  const res = await login(req('/api/auth/login', { method: 'POST', body: JSON.stringify({ username, password: 'api-test-pw' }) }), {});
  expect(res.status).toBe(200);
  return res.headers.get('set-cookie')!.split(';')[0];
}

async function expectError(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  const body = await res.json();
  expect(Object.keys(body).sort()).toEqual(['error', 'request_id']);
  expect(body.error.code).toBe(code);
  expect(typeof body.error.message).toBe('string');
  expect(JSON.stringify(body)).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expect(body.request_id).toBe(res.headers.get('x-request-id'));
}

beforeAll(async () => {
  tempRoot = makeTempDir('wb-api-');
  process.env.DATA_DIR = path.join(tempRoot, 'data');
  process.env.WORKBENCH_DEMO_PASSWORD = 'api-test-pw';
  process.env.UPLOAD_MAX_BYTES = String(64 * 1024);
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const { ensureInitialUsers } = await import('../../lib/server/auth/initial-users');
  await ensureInitialUsers(await open.getDb(), process.env, () => undefined);
  login = (await import('../../app/api/auth/login/route')).POST as Handler;
  logout = (await import('../../app/api/auth/logout/route')).POST as Handler;
  health = (await import('../../app/api/health/route')).GET as Handler;
  verify = (await import('../../app/api/audit/verify/route')).GET as Handler;
  uploads = (await import('../../app/api/uploads/route')).POST as Handler;
  unknown = (await import('../../app/api/[...path]/route')).GET as Handler;
});
afterAll(async () => {
  await closeDb();
  rmSync(tempRoot, { recursive: true, force: true });
});

describe('HTTP API', () => {
  it('GET /api/health needs no login', async () => {
    const res = await health(req('/api/health'), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, db: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('login sets an HttpOnly SameSite cookie; bad credentials and bad bodies get the error shape', async () => {
    const res = await login(req('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ops', password: 'api-test-pw' }) }), {});
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { username: 'ops', display_name: null, roles: ['ops'] } });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^wb_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Expires=/);
    await expectError(await login(req('/api/auth/login', { method: 'POST', body: '{"username":"ops","password":"nope"}' }), {}), 401, 'auth.invalid_credentials');
    await expectError(await login(req('/api/auth/login', { method: 'POST', body: '{"username":' }), {}), 400, 'request.bad_json');
    await expectError(await login(req('/api/auth/login', { method: 'POST', body: '{"username":5}' }), {}), 400, 'request.invalid');
    // A chunked (no content-length) oversized body is cut off at the cap, not buffered.
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(c) {
        pulled += 4096;
        c.enqueue(new Uint8Array(4096).fill(0x20));
      },
    });
    await expectError(await login(req('/api/auth/login', { method: 'POST', body: endless }), {}), 413, 'request.too_large');
    expect(pulled).toBeLessThan(64 * 1024);
  });

  it('the login form works without JavaScript: 303 to a local next with the cookie, or back to /login', async () => {
    const form = (fields: Record<string, string>) =>
      req('/api/auth/login', { method: 'POST', body: new URLSearchParams(fields).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const ok = await login(form({ username: 'analyst', password: 'api-test-pw', next: '/jobs?x=1' }), {});
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/jobs?x=1');
    expect(ok.headers.get('set-cookie')).toMatch(/^wb_session=.+HttpOnly; SameSite=Lax/);
    const bad = await login(form({ username: 'analyst', password: 'wrong', next: '/jobs' }), {});
    expect(bad.status).toBe(303);
    expect(bad.headers.get('location')).toBe('/login?error=1&next=%2Fjobs');
    expect(bad.headers.get('set-cookie')).toBeNull();
    const offsite = await login(form({ username: 'analyst', password: 'api-test-pw', next: '//evil.example/' }), {});
    expect(offsite.headers.get('location')).toBe('/');
  });

  it('refuses cross-origin POSTs before anything else', async () => {
    const cookie = await sessionOf('ops');
    const hostile: Record<string, string>[] = [{ origin: 'http://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { origin: 'null' }];
    for (const headers of hostile) {
      await expectError(await uploads(req('/api/uploads?kind=fix', { method: 'POST', body: FIX, cookie, headers }), {}), 403, 'auth.cross_origin');
      await expectError(
        await login(req('/api/auth/login', { method: 'POST', body: '{"username":"ops","password":"api-test-pw"}', headers }), {}),
        403,
        'auth.cross_origin',
      );
    }
    const sameOrigin = await uploads(req('/api/uploads?kind=fix&filename=same.log', { method: 'POST', body: FIX, cookie, headers: { origin: ROUTE_BASE } }), {});
    expect(sameOrigin.status).toBe(201);
  });

  it('answers 401 without a session and 403 without the permission', async () => {
    await expectError(await verify(req('/api/audit/verify'), {}), 401, 'auth.required');
    await expectError(await verify(req('/api/audit/verify', { cookie: 'wb_session=forged' }), {}), 401, 'auth.required');
    await expectError(await verify(req('/api/audit/verify', { cookie: await sessionOf('ops') }), {}), 403, 'auth.forbidden');
    await expectError(await uploads(req('/api/uploads?kind=fix', { method: 'POST', body: FIX, cookie: await sessionOf('analyst') }), {}), 403, 'auth.forbidden');
    const ok = await verify(req('/api/audit/verify', { cookie: await sessionOf('admin') }), {});
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, entries: expect.any(Number) });
  });

  it('says how long the server spent on each answer (Server-Timing), errors included', async () => {
    // app, then the session lookup's part (auth) where it completed.
    const timingOf = (res: Response) => /^app;dur=(\d+(?:\.\d)?)(?:, auth;dur=\d+\.\d)?$/.exec(res.headers.get('server-timing') ?? '');
    const ok = await verify(req('/api/audit/verify', { cookie: await sessionOf('admin') }), {});
    const refused = await verify(req('/api/audit/verify'), {});
    for (const res of [ok, refused, await health(req('/api/health'), {})]) {
      const m = timingOf(res);
      expect(m, res.headers.get('server-timing') ?? 'no Server-Timing header').not.toBeNull();
      expect(Number(m![1])).toBeGreaterThanOrEqual(0);
    }
    expect(ok.status).toBe(200);
    expect(refused.status).toBe(401);
  });

  it('uploads a FIX log into jobs, links a re-upload (gzipped) to it, and refuses bad uploads with codes', async () => {
    const cookie = await sessionOf('ops');
    const day1 = Buffer.from(`8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}34=7${SOH}10=000${SOH}\n`.repeat(30));
    const first = await uploads(req('/api/uploads?kind=fix&filename=day1.log', { method: 'POST', body: day1, cookie }), {});
    expect(first.status).toBe(201);
    const a = await first.json();
    expect(a).toMatchObject({ upload_id: expect.any(String), sha256: expect.stringMatching(/^[0-9a-f]{64}$/), duplicate_of: null });
    expect(a.job_ids.length).toBeGreaterThanOrEqual(1);
    const again = await uploads(req('/api/uploads?kind=fix&filename=day1.log.gz', { method: 'POST', body: gzipSync(day1), cookie }), {});
    expect(again.status).toBe(201);
    const b = await again.json();
    expect(b.sha256).toBe(a.sha256);
    expect(b.upload_id).not.toBe(a.upload_id);
    expect(b.duplicate_of).toBe(a.upload_id);
    // Jobs belong to the first upload: the re-upload answers with the same (live) jobs.
    expect(b.job_ids).toEqual(a.job_ids);

    await expectError(await uploads(req('/api/uploads?kind=pdf', { method: 'POST', body: FIX, cookie }), {}), 400, 'upload.bad_kind');
    await expectError(await uploads(req(`/api/uploads?kind=fix&filename=${'x'.repeat(4096)}`, { method: 'POST', body: FIX, cookie }), {}), 400, 'upload.bad_filename');
    await expectError(await uploads(req('/api/uploads?kind=fix', { method: 'POST', body: Buffer.alloc(128 * 1024, 0x41), cookie }), {}), 413, 'upload.too_large');
    await expectError(await uploads(req('/api/uploads?kind=fix', { method: 'POST', body: 'hello\n', cookie }), {}), 415, 'upload.not_fix');
    await expectError(await uploads(req('/api/uploads?kind=fix', { method: 'POST', cookie }), {}), 400, 'upload.empty');
  });

  it('an unknown API path answers 404 in the same error shape', async () => {
    await expectError(await unknown(req('/api/no-such-thing'), {}), 404, 'not_found');
  });

  it('logout ends the session', async () => {
    const cookie = await sessionOf('admin');
    const res = await logout(req('/api/auth/logout', { method: 'POST', cookie }), {});
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/wb_session=; .*Max-Age=0/);
    await expectError(await verify(req('/api/audit/verify', { cookie }), {}), 401, 'auth.required');
  });
});
