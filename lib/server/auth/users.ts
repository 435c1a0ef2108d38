// Local accounts: a row in users and one row per role in user_roles.
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { isRole, type Role } from '../permissions';
import { hashPassword } from './password';

export interface SessionUser {
  username: string;
  display_name: string | null;
  roles: Role[];
}

const USERNAME = /^[a-z][a-z0-9_.-]{0,63}$/;

export function isValidUsername(name: string): boolean {
  return USERNAME.test(name);
}

/** Creates a user with its roles and an audit entry, in one transaction. */
export async function createUser(
  db: Db,
  input: { username: string; password: string; roles: readonly Role[]; displayName?: string; actor: string },
): Promise<SessionUser> {
  if (!isValidUsername(input.username)) throw new Error(`auth.bad_username: ${JSON.stringify(input.username)}`);
  for (const role of input.roles) if (!isRole(role)) throw new Error(`auth.bad_role: ${JSON.stringify(role)}`);
  const hash = await hashPassword(input.password);
  const roles = [...new Set(input.roles)].sort();
  return db.transaction(async (tx) => {
    await tx.run('INSERT INTO users (username, password_hash, display_name) VALUES (?, ?, ?)', [
      input.username,
      hash,
      input.displayName ?? null,
    ]);
    for (const role of roles) await tx.run('INSERT INTO user_roles (username, role) VALUES (?, ?)', [input.username, role]);
    await appendAudit(tx, { actor: input.actor, action: 'user.created', subject: `user:${input.username}`, details: { roles } });
    return { username: input.username, display_name: input.displayName ?? null, roles };
  });
}

/** The enabled user with its roles and password hash, or null. */
export async function findUserForLogin(db: Db, username: string): Promise<(SessionUser & { password_hash: string }) | null> {
  const rows = await db.all<{ username: string; display_name: string | null; password_hash: string }>(
    'SELECT username, display_name, password_hash FROM users WHERE username = ? AND NOT disabled',
    [username],
  );
  if (rows.length === 0) return null;
  return { ...rows[0], roles: await rolesOf(db, username) };
}

export async function rolesOf(db: Db, username: string): Promise<Role[]> {
  const rows = await db.all<{ role: string }>('SELECT role FROM user_roles WHERE username = ? ORDER BY role', [username]);
  return rows.map((r) => r.role).filter(isRole);
}

export async function countUsers(db: Db): Promise<number> {
  const rows = await db.all<{ n: string }>('SELECT count(*) AS n FROM users');
  return Number(rows[0].n);
}
