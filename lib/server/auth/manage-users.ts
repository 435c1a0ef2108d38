// User administration (permission users.manage): list, create, change roles, disable, reset a
// password. Every change is one transaction with its audit entry; passwords never reach the log.
// An administrator cannot lock themselves out (drop their own admin role or disable themselves).
import { z } from 'zod';
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { ROLES, type Role } from '../permissions';
import { hashPassword } from './password';
import { createUser, isValidUsername, rolesOf } from './users';

export interface UserListing {
  username: string;
  display_name: string | null;
  roles: Role[];
  disabled: boolean;
  created_at: string;
}

const roleList = z.array(z.enum(ROLES as unknown as [Role, ...Role[]])).max(ROLES.length);
const password = z.string().min(8, 'at least 8 characters').max(1024);

export const newUserSchema = z.object({
  username: z.string().refine(isValidUsername, 'lower-case letters, digits, . _ -; starting with a letter; at most 64'),
  password,
  roles: roleList,
  display_name: z.string().max(200).optional(),
});

export const userChangeSchema = z
  .object({ roles: roleList.optional(), disabled: z.boolean().optional(), password: password.optional() })
  .refine((c) => c.roles !== undefined || c.disabled !== undefined || c.password !== undefined, 'nothing to change');

export async function listUsers(db: Db): Promise<UserListing[]> {
  const rows = await db.all<{ username: string; display_name: string | null; disabled: boolean; created_at: string; roles: string[] | null }>(
    `SELECT u.username, u.display_name, u.disabled, u.created_at,
            list(r.role ORDER BY r.role) FILTER (WHERE r.role IS NOT NULL) AS roles
     FROM users u LEFT JOIN user_roles r USING (username)
     GROUP BY u.username, u.display_name, u.disabled, u.created_at ORDER BY u.username`,
  );
  return rows.map((r) => ({ ...r, roles: (r.roles ?? []) as Role[] }));
}

export async function addUser(db: Db, actor: string, input: z.infer<typeof newUserSchema>): Promise<UserListing> {
  const existing = await db.all('SELECT 1 FROM users WHERE username = ?', [input.username]);
  if (existing.length > 0) throw new ApiError('user.exists', 409, `A user named ${input.username} already exists.`);
  await createUser(db, { username: input.username, password: input.password, roles: input.roles, displayName: input.display_name, actor });
  return (await listUsers(db)).find((u) => u.username === input.username)!;
}

export async function changeUser(db: Db, actor: string, username: string, change: z.infer<typeof userChangeSchema>): Promise<UserListing> {
  if (actor === username && (change.disabled === true || (change.roles && !change.roles.includes('admin')))) {
    throw new ApiError('user.self_lockout', 400, 'You cannot disable yourself or remove your own admin role.');
  }
  const newHash = change.password !== undefined ? await hashPassword(change.password) : null;
  await db.transaction(async (tx) => {
    const found = await tx.all<{ disabled: boolean }>('SELECT disabled FROM users WHERE username = ?', [username]);
    if (found.length === 0) throw new ApiError('user.not_found', 404, `No user named ${username}.`);
    const details: Record<string, unknown> = {};
    if (change.roles) {
      const before = await rolesOf(tx, username);
      const after = [...new Set(change.roles)].sort();
      await tx.run('DELETE FROM user_roles WHERE username = ?', [username]);
      for (const role of after) await tx.run('INSERT INTO user_roles (username, role) VALUES (?, ?)', [username, role]);
      details.roles = { before, after };
    }
    if (change.disabled !== undefined && change.disabled !== found[0].disabled) {
      await tx.run('UPDATE users SET disabled = ? WHERE username = ?', [change.disabled, username]);
      details.disabled = change.disabled;
    }
    if (newHash) {
      await tx.run('UPDATE users SET password_hash = ? WHERE username = ?', [newHash, username]);
      details.password_reset = true;
    }
    // A disabled account or a new password ends every open session of the user.
    if (change.disabled === true || newHash) await tx.run('DELETE FROM sessions WHERE username = ?', [username]);
    await appendAudit(tx, { actor, action: 'user.changed', subject: `user:${username}`, details });
  });
  return (await listUsers(db)).find((u) => u.username === username)!;
}
