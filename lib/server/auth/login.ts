// Checks credentials and opens a session, recorded in the audit log in the same transaction.
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { hashPassword, verifyPassword } from './password';
import { createSession, deleteSession } from './sessions';
import { findUserForLogin, type SessionUser } from './users';

// Compared against when the user does not exist, so a wrong username costs as much as a wrong password.
let decoyHash: Promise<string> | undefined;

export async function logIn(
  db: Db,
  username: string,
  password: string,
): Promise<{ user: SessionUser; token: string; expiresAt: Date } | null> {
  const found = await findUserForLogin(db, username);
  if (!found) {
    decoyHash ??= hashPassword('decoy-password-never-matches');
    await verifyPassword(password, await decoyHash);
    return null;
  }
  if (!(await verifyPassword(password, found.password_hash))) return null;
  const user: SessionUser = { username: found.username, display_name: found.display_name, roles: found.roles };
  // Not serialised behind other writers: a login only inserts (a session row, an audit entry),
  // so it does not wait for a long promotion or break detection to finish.
  const session = await db.transaction(
    async (tx) => {
      const s = await createSession(tx, user.username);
      await appendAudit(tx, { actor: user.username, action: 'auth.login', subject: `user:${user.username}`, details: {} });
      return s;
    },
    { serialize: false },
  );
  return { user, ...session };
}

export async function logOut(db: Db, user: SessionUser | null, token: string): Promise<void> {
  await db.transaction(
    async (tx) => {
      await deleteSession(tx, token);
      if (user) await appendAudit(tx, { actor: user.username, action: 'auth.logout', subject: `user:${user.username}`, details: {} });
    },
    { serialize: false },
  );
}
