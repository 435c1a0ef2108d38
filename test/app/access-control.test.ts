// Access control, generated from the route files and the permission table: every route handler
// under app/api must be made by withRoute with a declared permission (a new route without a
// rule fails here), only the listed routes may be public, and every role gets exactly the
// 401 / 403 / allowed answer the table says. State-changing methods refuse other origins.
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir } from './temp-db';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const PUBLIC = new Set([
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  // The catch-all answering 404 for unknown API paths.
  ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => `${m} /api/[...path]`),
]);
const API_DIR = path.join(process.cwd(), 'app', 'api');

interface RouteCase {
  route: string;
  file: string;
  params: Record<string, string>;
}

function routeFiles(dir: string): RouteCase[] {
  const out: RouteCase[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...routeFiles(full));
    else if (name === 'route.ts') {
      const rel = path.relative(path.join(process.cwd(), 'app'), dir).split(path.sep);
      const params: Record<string, string> = {};
      for (const seg of rel) {
        const m = /^\[(\w+)\]$/.exec(seg);
        if (m) params[m[1]] = '00000000-0000-4000-8000-000000000000';
      }
      out.push({ route: '/' + rel.join('/'), file: full, params });
    }
  }
  return out;
}

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
let cookies: Record<string, string>;
let ROLES: readonly string[];
let hasPermission: (u: { username: string; roles: string[] }, p: never) => boolean;
let routePermissionOf: (h: unknown) => string | null | undefined;
let closeDb: () => Promise<void>;
let tempRoot = '';
const cases = routeFiles(API_DIR);

beforeAll(async () => {
  tempRoot = makeTempDir('wb-acl-');
  process.env.DATA_DIR = path.join(tempRoot, 'data');
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const db = await open.getDb();
  const perms = await import('../../lib/server/permissions');
  ROLES = perms.ROLES;
  hasPermission = perms.hasPermission as never;
  routePermissionOf = (await import('../../lib/server/http/route')).routePermissionOf;
  const { createUser } = await import('../../lib/server/auth/users');
  const { createSession } = await import('../../lib/server/auth/sessions');
  cookies = {};
  for (const role of perms.ROLES) {
    await createUser(db, { username: `u_${role}`, password: 'x', roles: [role], actor: 'test' });
    cookies[role] = `wb_session=${(await createSession(db, `u_${role}`)).token}`;
  }
});
afterAll(async () => {
  await closeDb();
  rmSync(tempRoot, { recursive: true, force: true });
});

function request(route: string, method: string, headers: Record<string, string> = {}): Request {
  return new Request(`http://workbench.test${route}`, {
    method,
    headers: { host: 'workbench.test', ...headers },
    body: method === 'GET' || method === 'HEAD' ? undefined : '',
  });
}

describe('access control', () => {
  it('finds the route handlers', () => {
    expect(cases.map((c) => c.route)).toEqual(expect.arrayContaining(['/api/health', '/api/auth/login', '/api/uploads', '/api/audit/verify']));
  });

  for (const c of cases) {
    it(`${c.route}: every method has a rule, and each role gets the answer of the permission table`, async () => {
      const mod = (await import(c.file)) as Record<string, unknown>;
      const methods = METHODS.filter((m) => typeof mod[m] === 'function');
      expect(methods.length).toBeGreaterThan(0);
      for (const method of methods) {
        const handler = mod[method] as Handler;
        const key = `${method} ${c.route}`;
        const permission = routePermissionOf(handler);
        expect(permission, `${key} is not wrapped by withRoute`).not.toBeUndefined();
        const ctx = () => ({ params: Promise.resolve(c.params) });
        if (permission === null) {
          expect(PUBLIC.has(key), `${key} is public but not in the list of public routes`).toBe(true);
          continue;
        }
        const anonymous = await handler(request(c.route, method), ctx());
        expect(anonymous.status, `${key} without a session`).toBe(401);
        for (const role of ROLES) {
          const res = await handler(request(c.route, method, { cookie: cookies[role] }), ctx());
          const allowed = hasPermission({ username: role, roles: [role] }, permission as never);
          if (allowed) {
            expect([401, 403], `${key} as ${role} (has ${permission})`).not.toContain(res.status);
            expect(res.status, `${key} as ${role}: no 5xx for a bad request`).toBeLessThan(500);
          } else {
            expect(res.status, `${key} as ${role} (lacks ${permission})`).toBe(403);
            expect((await res.json()).error.code).toBe('auth.forbidden');
          }
          if (method !== 'GET' && allowed) {
            const cross = await handler(request(c.route, method, { cookie: cookies[role], origin: 'https://evil.example' }), ctx());
            expect(cross.status, `${key} cross-origin`).toBe(403);
            expect((await cross.json()).error.code).toBe('auth.cross_origin');
          }
        }
      }
    });
  }
});

describe('pages', () => {
  // Pages that render without a login: they only redirect or explain.
  const PUBLIC_PAGES = new Set(['page.tsx', 'login/page.tsx', 'forbidden/page.tsx']);
  const appDir = path.join(process.cwd(), 'app');
  function pages(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) return name === 'api' ? [] : pages(full);
      return name === 'page.tsx' ? [path.relative(appDir, full)] : [];
    });
  }

  it('every page checks its permission on the server (requirePageUser), unless listed as public', async () => {
    const { readFileSync } = await import('node:fs');
    const found = pages(appDir);
    expect(found).toEqual(expect.arrayContaining(['login/page.tsx', 'upload/page.tsx', 'admin/audit/page.tsx']));
    for (const page of found) {
      if (PUBLIC_PAGES.has(page)) continue;
      expect(readFileSync(path.join(appDir, page), 'utf8'), `app/${page} does not call requirePageUser`).toMatch(/requirePageUser\(/);
    }
  });
});
