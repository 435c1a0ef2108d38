// The breaks HTTP API through its route handlers (permission wrapper, error shape, zod input):
// GET /api/breaks, POST /api/breaks/{id}/actions, GET /api/orders/{clOrdId}.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POST as actionRoute } from '../../app/api/breaks/[id]/actions/route';
import { GET as listRoute } from '../../app/api/breaks/route';
import { GET as orderRoute } from '../../app/api/orders/[clOrdId]/route';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { createSession } from '../../lib/server/auth/sessions';
import { createUser } from '../../lib/server/auth/users';
import { FixScenario, openTempDb, type TempDb } from './fix-scenario';

const BASE = 'http://localhost';
let t: TempDb;
let analyst: string;
let ops: string;

beforeAll(async () => {
  t = await openTempDb();
  // Route handlers use the process-wide database (getDb(), cached on globalThis): point it here.
  (globalThis as { __workbenchDb?: Promise<unknown> }).__workbenchDb = Promise.resolve(t.db);
  await createUser(t.db, { username: 'ana', password: 'pw-analyst-1', roles: ['analyst'], actor: 'system' });
  await createUser(t.db, { username: 'olly', password: 'pw-ops-12345', roles: ['ops'], actor: 'system' });
  analyst = `wb_session=${(await createSession(t.db, 'ana')).token}`;
  ops = `wb_session=${(await createSession(t.db, 'olly')).token}`;
  const s = new FixScenario();
  s.order('A', { qty: '10', px: '1' });
  s.order('B', { qty: '100', px: '10' });
  s.ack('B');
  s.fill('B', '60', '10');
  s.fill('B', '60', '10');
  await s.load(t.db);
  await detectBreaks(t.db, { asOf: '2026-11-20' });
});

afterAll(async () => {
  (globalThis as { __workbenchDb?: Promise<unknown> }).__workbenchDb = undefined;
  await t.cleanup();
});

const get = (url: string, cookie: string | null = analyst) => new Request(`${BASE}${url}`, { headers: cookie ? { cookie } : {} });
const post = (url: string, body: unknown, cookie: string = analyst) =>
  new Request(`${BASE}${url}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('breaks API', () => {
  it('lists breaks in the documented shape, with counts and a cursor', async () => {
    const res = await listRoute(get('/api/breaks?limit=1'), undefined);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Record<string, unknown>[]; next_cursor: string | null; counts: Record<string, number> };
    expect(body.counts).toEqual({ overfill: 1, unacknowledged_order: 1 });
    expect(Object.keys(body.items[0])).toEqual(expect.arrayContaining(['break_id', 'class', 'cl_ord_id', 'session', 'status', 'severity', 'age_days', 'details']));
    const next = await listRoute(get(`/api/breaks?limit=1&cursor=${body.next_cursor}`), undefined);
    expect(((await next.json()) as { items: unknown[] }).items).toHaveLength(1);
    const filtered = await listRoute(get('/api/breaks?class=overfill&cl_ord_id=B'), undefined);
    expect(((await filtered.json()) as { items: { class: string }[] }).items.map((i) => i.class)).toEqual(['overfill']);
  });

  it('answers errors in the one error shape', async () => {
    const anonymous = await listRoute(get('/api/breaks', null), undefined);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'auth.required' }, request_id: expect.any(String) });
    const badCursor = await listRoute(get('/api/breaks?cursor=nope'), undefined);
    expect(badCursor.status).toBe(400);
    expect(await badCursor.json()).toMatchObject({ error: { code: 'breaks.bad_cursor' } });
    const badStatus = await listRoute(get('/api/breaks?status=done'), undefined);
    expect(badStatus.status).toBe(400);
  });

  it('acts on a break (analyst), refuses ops, and 404s an unknown id', async () => {
    const list = (await (await listRoute(get('/api/breaks?class=overfill'), undefined)).json()) as { items: { break_id: string }[] };
    const id = list.items[0].break_id;
    const ctx = { params: Promise.resolve({ id }) };
    const refused = await actionRoute(post(`/api/breaks/${id}/actions`, { action: 'assign', assignee: 'ana' }, ops), ctx);
    expect(refused.status).toBe(403);
    const ok = await actionRoute(post(`/api/breaks/${id}/actions`, { action: 'assign', assignee: 'ana' }), ctx);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ break_id: id, from_status: 'open', to_status: 'investigating', assignee: 'ana' });
    const bad = await actionRoute(post(`/api/breaks/${id}/actions`, { action: 'resolve' }), ctx);
    expect(bad.status).toBe(400);
    const resolved = await actionRoute(post(`/api/breaks/${id}/actions`, { action: 'resolve', reason: 'venue bust' }), ctx);
    expect(((await resolved.json()) as { to_status: string }).to_status).toBe('resolved');
    const again = await actionRoute(post(`/api/breaks/${id}/actions`, { action: 'resolve', reason: 'x' }), ctx);
    expect(again.status).toBe(409);
    const unknown = '1'.repeat(64);
    const missing = await actionRoute(post(`/api/breaks/${unknown}/actions`, { action: 'reopen' }), { params: Promise.resolve({ id: unknown }) });
    expect(missing.status).toBe(404);
  });

  it('drills down by ClOrdID', async () => {
    const res = await orderRoute(get('/api/orders/B'), { params: Promise.resolve({ clOrdId: 'B' }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { chains: { chain_root: string; messages: unknown[]; breaks: { class: string }[] }[] };
    expect(body.chains[0].chain_root).toBe('B');
    expect(body.chains[0].messages).toHaveLength(4);
    expect(body.chains[0].breaks.map((b) => b.class)).toEqual(['overfill']);
    const missing = await orderRoute(get('/api/orders/ZZZ'), { params: Promise.resolve({ clOrdId: 'ZZZ' }) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'order.not_found' } });
  });

  it('drills down a page of each list, and refuses a bad page with 400 order.bad_page', async () => {
    const ctx = { params: Promise.resolve({ clOrdId: 'B' }) };
    const res = await orderRoute(get('/api/orders/B?messages_from=2&messages_limit=1'), ctx);
    expect(res.status).toBe(200);
    const [chain] = ((await res.json()) as { chains: { messages: { message_index: string }[]; messages_total: number; messages_from: number; fills_total: number; breaks_total: number }[] }).chains;
    expect(chain).toMatchObject({ messages_total: 4, messages_from: 2, breaks_total: 1 });
    expect(chain.messages).toHaveLength(1);
    const bad = await orderRoute(get('/api/orders/B?messages_limit=5000'), ctx);
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'order.bad_page' } });
  });
});
