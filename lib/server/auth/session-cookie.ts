// The session cookie: HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site
// subrequests or POSTs), Path=/. Secure when the request came over https, or always with
// WORKBENCH_SECURE_COOKIE=1 (behind a TLS-terminating proxy that does not say so).

export const SESSION_COOKIE = 'wb_session';

function isSecure(req: Request): boolean {
  if (process.env.WORKBENCH_SECURE_COOKIE === '1') return true;
  const proto = req.headers.get('x-forwarded-proto') ?? new URL(req.url).protocol.replace(':', '');
  return proto === 'https';
}

export function sessionCookieHeader(req: Request, token: string, expiresAt: Date): string {
  const parts = [`${SESSION_COOKIE}=${token}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Expires=${expiresAt.toUTCString()}`];
  if (isSecure(req)) parts.push('Secure');
  return parts.join('; ');
}

export function clearSessionCookieHeader(req: Request): string {
  const parts = [`${SESSION_COOKIE}=`, 'Path=/', 'HttpOnly', 'SameSite=Lax', 'Max-Age=0'];
  if (isSecure(req)) parts.push('Secure');
  return parts.join('; ');
}

/** The session token from a Cookie header, or null. */
export function sessionTokenFromCookieHeader(header: string | null): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}
