// Server-side sessions. The browser holds a random 256-bit token; the database holds only its
// sha256, so neither a database copy nor a log line can be replayed as a login.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../../db/open';
import { isRole } from '../permissions';
import type { SessionUser } from './users';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Creates a session (inside the caller's transaction when given one) and returns its token. */
export async function createSession(db: Db, username: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await db.run('INSERT INTO sessions (token_hash, username, expires_at) VALUES (?, ?, ?::TIMESTAMPTZ)', [
    tokenHash(token),
    username,
    expiresAt.toISOString(),
  ]);
  return { token, expiresAt };
}

/**
 * The user of a live session, or null (unknown or expired token, disabled user). Runs on every
 * authenticated request: one row per role, gathered here (sorted) rather than by a list()
 * aggregate in the query, which cost ~0.7 ms more per request (2.2 against 1.5 ms p50).
 */
export async function userForSessionToken(db: Db, token: string | null | undefined): Promise<SessionUser | null> {
  if (!token || token.length > 200) return null;
  const rows = await db.all<{ username: string; display_name: string | null; role: string | null }>(
    `SELECT u.username, u.display_name, r.role
     FROM sessions s JOIN users u ON u.username = s.username LEFT JOIN user_roles r ON r.username = u.username
     WHERE s.token_hash = ? AND s.expires_at > current_timestamp AND NOT u.disabled`,
    [tokenHash(token)],
  );
  if (rows.length === 0) return null;
  const roles = rows.map((r) => r.role).filter((r): r is string => r !== null).sort();
  return { username: rows[0].username, display_name: rows[0].display_name, roles: roles.filter(isRole) };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE token_hash = ?', [tokenHash(token)]);
}

export async function deleteExpiredSessions(db: Db): Promise<void> {
  await db.run('DELETE FROM sessions WHERE expires_at <= current_timestamp');
}
