// POST /api/auth/login {"username","password"} → {"user":{…}} and the HttpOnly session cookie.
// The login page's form also posts here without JavaScript (form-encoded, with `next`): it
// gets a 303 to `next` on success, back to /login with an error flag otherwise.
import { z } from 'zod';
import { logInUser } from '../../../../lib/server/auth/auth-service';
import { loginRetryAfterMs, recordLoginFailure, recordLoginSuccess } from '../../../../lib/server/auth/login-throttle';
import { safeReturnPath } from '../../../../lib/server/auth/safe-return-path';
import { sessionCookieHeader } from '../../../../lib/server/auth/session-cookie';
import { ApiError, isFormPost, readForm, readJson, withRoute } from '../../../../lib/server/http/route';

const body = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(1024) });

export const POST = withRoute({ permission: null }, async (req) => {
  if (isFormPost(req)) {
    const form = await readForm(req, 16 * 1024);
    const next = safeReturnPath(form.get('next'));
    const parsed = body.safeParse({ username: form.get('username'), password: form.get('password') });
    const session = parsed.success
      ? await attempt(parsed.data.username, parsed.data.password).catch((e: unknown) => {
          if (!(e instanceof ApiError)) console.error('login: form login failed', e);
          return null;
        })
      : null;
    if (!session) return redirect(`/login?error=1&next=${encodeURIComponent(next)}`);
    const res = redirect(next);
    res.headers.append('set-cookie', sessionCookieHeader(req, session.token, session.expiresAt));
    return res;
  }
  const { username, password } = await readJson(req, body, 16 * 1024);
  const session = await attempt(username, password);
  const res = Response.json({ user: session.user });
  res.headers.append('set-cookie', sessionCookieHeader(req, session.token, session.expiresAt));
  return res;
});

async function attempt(username: string, password: string) {
  const wait = loginRetryAfterMs(username);
  if (wait > 0) {
    throw new ApiError('auth.too_many_attempts', 429, `Too many failed logins for this user; try again in ${Math.ceil(wait / 1000)} s.`);
  }
  const result = await logInUser(username, password);
  if (!result) {
    recordLoginFailure(username);
    throw new ApiError('auth.invalid_credentials', 401, 'Unknown username or wrong password.');
  }
  recordLoginSuccess(username);
  return result;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
