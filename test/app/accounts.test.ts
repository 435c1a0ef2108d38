// Passwords, sessions, first-start accounts, the permission table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureInitialUsers } from '../../lib/server/auth/initial-users';
import { logIn, logOut } from '../../lib/server/auth/login';
import { addUser, changeUser, listUsers } from '../../lib/server/auth/manage-users';
import { hashPassword, verifyPassword } from '../../lib/server/auth/password';
import { safeReturnPath } from '../../lib/server/auth/safe-return-path';
import { sessionTokenFromCookieHeader } from '../../lib/server/auth/session-cookie';
import { createSession, userForSessionToken } from '../../lib/server/auth/sessions';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import { hasPermission, PERMISSIONS, requirePermission, ROLE_PERMISSIONS, ROLES } from '../../lib/server/permissions';
import { openTempDb, type TempDb } from './temp-db';

describe('password hashing', () => {
  it('verifies the right password only, with a fresh salt each time', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse', a)).toBe(true);
    expect(await verifyPassword('correct horsf', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('treats a malformed stored hash as no match', async () => {
    for (const bad of ['', 'plain', 'scrypt$x$8$1$a$b', 'scrypt$16384$8$1$c2FsdA==$', 'bcrypt$1$2$3$4$5']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });
});

describe('permission table', () => {
  it('names only known permissions and gives every role something', () => {
    for (const role of ROLES) {
      expect(ROLE_PERMISSIONS[role].length).toBeGreaterThan(0);
      for (const p of ROLE_PERMISSIONS[role]) expect(PERMISSIONS).toContain(p);
    }
  });

  it('keeps the separations of DESIGN.md', () => {
    const u = (role: string) => ({ username: role, roles: [role] });
    expect(hasPermission(u('ops'), 'uploads.create')).toBe(true);
    expect(hasPermission(u('ops'), 'contracts.review')).toBe(false);
    expect(hasPermission(u('analyst'), 'breaks.write')).toBe(true);
    expect(hasPermission(u('analyst'), 'contracts.propose')).toBe(false);
    expect(hasPermission(u('author'), 'contracts.review')).toBe(false);
    expect(hasPermission(u('reviewer'), 'contracts.propose')).toBe(false);
    expect(hasPermission(u('admin'), 'users.manage')).toBe(true);
    expect(hasPermission(u('admin'), 'contracts.review')).toBe(false);
    expect(hasPermission({ username: 'x', roles: ['superuser'] }, 'jobs.read')).toBe(false);
    expect(hasPermission(null, 'jobs.read')).toBe(false);
  });

  it('requirePermission answers 401 without a user and 403 without the permission', () => {
    expect(() => requirePermission(null, 'jobs.read')).toThrow(expect.objectContaining({ code: 'auth.required', status: 401 }));
    expect(() => requirePermission({ username: 'ops', roles: ['ops'] }, 'audit.read')).toThrow(
      expect.objectContaining({ code: 'auth.forbidden', status: 403 }),
    );
    expect(() => requirePermission({ username: 'ops', roles: ['ops'] }, 'jobs.read')).not.toThrow();
  });
});

describe('accounts and sessions', () => {
  let t: TempDb;
  beforeAll(async () => {
    t = await openTempDb();
  });
  afterAll(async () => t.cleanup());

  it('creates one demo user per role on first start, and nothing on the next', async () => {
    const lines: string[] = [];
    const created = await ensureInitialUsers(t.db, { WORKBENCH_DEMO_PASSWORD: 'pw-for-tests' }, (l) => lines.push(l));
    expect(created).toEqual([...ROLES]);
    expect(lines.join('\n')).toContain('change it');
    expect(lines.join('\n')).not.toContain('pw-for-tests');
    expect(await ensureInitialUsers(t.db, {}, () => undefined)).toEqual([]);
    const users = await t.db.all('SELECT u.username, r.role FROM users u JOIN user_roles r USING (username) ORDER BY 1');
    expect(users).toEqual([...ROLES].sort().map((r) => ({ username: r, role: r })));
    expect(await verifyAuditChain(t.db)).toEqual({ ok: true, entries: 5 });
  });

  it('logs in with the right password, resolves the session, logs out', async () => {
    expect(await logIn(t.db, 'analyst', 'wrong')).toBeNull();
    expect(await logIn(t.db, 'nobody', 'pw-for-tests')).toBeNull();
    const session = await logIn(t.db, 'analyst', 'pw-for-tests');
    expect(session).not.toBeNull();
    expect(session!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const stored = await t.db.all<{ token_hash: string }>('SELECT token_hash FROM sessions');
    expect(stored.map((s) => s.token_hash)).not.toContain(session!.token);
    expect(await userForSessionToken(t.db, session!.token)).toEqual({ username: 'analyst', display_name: null, roles: ['analyst'] });
    expect(await userForSessionToken(t.db, session!.token + 'x')).toBeNull();
    await logOut(t.db, session!.user, session!.token);
    expect(await userForSessionToken(t.db, session!.token)).toBeNull();
    const actions = await t.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE actor = 'analyst' ORDER BY seq`);
    expect(actions.map((a) => a.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('does not honour an expired session or a disabled user', async () => {
    const old = await createSession(t.db, 'ops', new Date(Date.now() - 13 * 3600 * 1000));
    expect(await userForSessionToken(t.db, old.token)).toBeNull();
    const live = await createSession(t.db, 'ops');
    expect(await userForSessionToken(t.db, live.token)).not.toBeNull();
    await t.db.run(`UPDATE users SET disabled = true WHERE username = 'ops'`);
    expect(await userForSessionToken(t.db, live.token)).toBeNull();
    expect(await logIn(t.db, 'ops', 'pw-for-tests')).toBeNull();
  });

  it('administers users: roles, disable, password reset, with audit and no self-lockout', async () => {
    await addUser(t.db, 'admin', { username: 'carol', password: 'carol-pass-1', roles: ['ops'] });
    await expect(addUser(t.db, 'admin', { username: 'carol', password: 'carol-pass-1', roles: [] })).rejects.toMatchObject({ code: 'user.exists', status: 409 });
    const session = await logIn(t.db, 'carol', 'carol-pass-1');
    expect(await changeUser(t.db, 'admin', 'carol', { roles: ['ops', 'analyst'] })).toMatchObject({ roles: ['analyst', 'ops'] });
    // The session's user: one user whatever the number of roles, roles sorted; none is an empty list.
    expect(await userForSessionToken(t.db, session!.token)).toMatchObject({ username: 'carol', roles: ['analyst', 'ops'] });
    await changeUser(t.db, 'admin', 'carol', { roles: [] });
    expect(await userForSessionToken(t.db, session!.token)).toMatchObject({ username: 'carol', roles: [] });
    expect(await changeUser(t.db, 'admin', 'carol', { roles: ['analyst'] })).toMatchObject({ roles: ['analyst'] });
    expect(await userForSessionToken(t.db, session!.token)).toMatchObject({ roles: ['analyst'] });
    await changeUser(t.db, 'admin', 'carol', { password: 'carol-pass-2' });
    expect(await userForSessionToken(t.db, session!.token)).toBeNull();
    expect(await logIn(t.db, 'carol', 'carol-pass-1')).toBeNull();
    expect(await logIn(t.db, 'carol', 'carol-pass-2')).not.toBeNull();
    await changeUser(t.db, 'admin', 'carol', { disabled: true });
    expect(await logIn(t.db, 'carol', 'carol-pass-2')).toBeNull();
    expect((await listUsers(t.db)).find((u) => u.username === 'carol')).toMatchObject({ disabled: true });
    await expect(changeUser(t.db, 'admin', 'admin', { disabled: true })).rejects.toMatchObject({ code: 'user.self_lockout' });
    await expect(changeUser(t.db, 'admin', 'admin', { roles: ['ops'] })).rejects.toMatchObject({ code: 'user.self_lockout' });
    await expect(changeUser(t.db, 'admin', 'nobody', { disabled: true })).rejects.toMatchObject({ code: 'user.not_found', status: 404 });
    const log = await t.db.all<{ action: string; details: string }>(`SELECT action, details FROM audit_log WHERE subject = 'user:carol' ORDER BY seq`);
    expect(log.map((l) => l.action)).toEqual(['user.created', 'auth.login', 'user.changed', 'user.changed', 'user.changed', 'user.changed', 'auth.login', 'user.changed']);
    expect(JSON.stringify(log)).not.toContain('carol-pass');
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('creates only a random-password admin when demo mode is off', async () => {
    const other = await openTempDb();
    try {
      const lines: string[] = [];
      expect(await ensureInitialUsers(other.db, { WORKBENCH_DEMO: '0' }, (l) => lines.push(l))).toEqual(['admin']);
      const password = /password (\S+) /.exec(lines[0])![1];
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(await logIn(other.db, 'admin', password)).not.toBeNull();
      expect(await logIn(other.db, 'admin', 'demo-password')).toBeNull();
    } finally {
      await other.cleanup();
    }
  });
});

describe('cookies and redirects', () => {
  it('finds the session cookie among others', () => {
    expect(sessionTokenFromCookieHeader('a=1; wb_session=tok-en; b=2')).toBe('tok-en');
    expect(sessionTokenFromCookieHeader('wb_sessionx=1')).toBeNull();
    expect(sessionTokenFromCookieHeader(null)).toBeNull();
  });

  it('only returns to paths on this site', () => {
    expect(safeReturnPath('/jobs?x=1')).toBe('/jobs?x=1');
    for (const bad of ['//evil.example', 'https://evil.example', '/\\evil.example', 'jobs', '/a\nb']) expect(safeReturnPath(bad)).toBe('/');
  });
});

describe('login throttle', () => {
  it('lets five failures through, then makes the next attempt wait, doubling', async () => {
    const { loginRetryAfterMs, recordLoginFailure, recordLoginSuccess } = await import('../../lib/server/auth/login-throttle');
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) {
      expect(loginRetryAfterMs('Mallory', t0)).toBe(0);
      recordLoginFailure('mallory', t0);
    }
    expect(loginRetryAfterMs('mallory', t0)).toBe(1000);
    recordLoginFailure('mallory', t0 + 1000);
    expect(loginRetryAfterMs('mallory', t0 + 1000)).toBe(2000);
    expect(loginRetryAfterMs('mallory', t0 + 16 * 60_000)).toBe(0);
    recordLoginSuccess('mallory');
    expect(loginRetryAfterMs('mallory', t0 + 1000)).toBe(0);
  });
});
