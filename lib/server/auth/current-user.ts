// The logged-in user of a page or server action (server components), from the session cookie.
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb } from '../../../db/open';
import { hasPermission, type Permission } from '../permissions';
import { SESSION_COOKIE } from './session-cookie';
import { userForSessionToken } from './sessions';
import type { SessionUser } from './users';

export type { SessionUser } from './users';

export async function getCurrentUser(): Promise<SessionUser | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return userForSessionToken(await getDb(), token);
}

/**
 * For pages and server actions: the user, or a redirect to /login (not logged in) or
 * /forbidden (logged in without the permission). Every page under app/ that shows data calls it.
 */
export async function requirePageUser(permission?: Permission, returnTo?: string): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect(returnTo ? `/login?next=${encodeURIComponent(returnTo)}` : '/login');
  if (permission && !hasPermission(user, permission)) redirect(`/forbidden?need=${encodeURIComponent(permission)}`);
  return user;
}
