// The logged-in user of an HTTP request (route handlers), from the session cookie.
import { getDb } from '../../../db/open';
import { sessionTokenFromCookieHeader } from './session-cookie';
import { userForSessionToken } from './sessions';
import type { SessionUser } from './users';

export async function userFromRequest(req: Request): Promise<SessionUser | null> {
  const token = sessionTokenFromCookieHeader(req.headers.get('cookie'));
  if (!token) return null;
  return userForSessionToken(await getDb(), token);
}
