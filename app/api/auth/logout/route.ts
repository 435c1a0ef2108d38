// POST /api/auth/logout → ends the session (if any) and clears the cookie. Always 200.
import { logOutUser } from '../../../../lib/server/auth/auth-service';
import { clearSessionCookieHeader, sessionTokenFromCookieHeader } from '../../../../lib/server/auth/session-cookie';
import { withRoute } from '../../../../lib/server/http/route';

export const POST = withRoute({ permission: null }, async (req, _ctx, user) => {
  const token = sessionTokenFromCookieHeader(req.headers.get('cookie'));
  if (token) await logOutUser(user, token);
  const res = Response.json({ ok: true });
  res.headers.append('set-cookie', clearSessionCookieHeader(req));
  return res;
});
