// Where to go after login: only a path on this site (no //host, no scheme, no backslash tricks).
export function safeReturnPath(next: string | undefined | null, fallback = '/'): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\') || /[\u0000-\u001f]/.test(next)) {
    return fallback;
  }
  return next;
}
