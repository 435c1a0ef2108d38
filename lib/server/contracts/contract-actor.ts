// The acting user as the database knows them NOW: roles are re-read inside the transaction that
// makes the change, so a role removed after login no longer counts (a reviewer demoted between
// page load and click cannot approve). Separation of duties is checked on top, per version.
import type { Db } from '../../../db/open';
import { rolesOf } from '../auth/users';
import { ApiError } from '../http/api-error';
import { hasPermission, type Permission } from '../permissions';

export interface Actor {
  username: string;
}

export async function requireActorPermission(tx: Db, actor: Actor, permission: Permission, code: string, message: string): Promise<void> {
  const enabled = await tx.all(`SELECT username FROM users WHERE username = ? AND NOT disabled`, [actor.username]);
  const roles = enabled.length === 0 ? [] : await rolesOf(tx, actor.username);
  if (!hasPermission({ username: actor.username, roles }, permission)) throw new ApiError(code, 403, message);
}
