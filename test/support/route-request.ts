// A Request for calling a route handler in-process (app/api/**/route.ts), as Next.js would pass
// it: the host the same-origin check compares with, the session cookie, and a streamed body.
export const ROUTE_BASE = 'http://workbench.test';

export function routeRequest(pathAndQuery: string, init: RequestInit & { cookie?: string } = {}): Request {
  const headers = new Headers(init.headers);
  headers.set('host', 'workbench.test');
  if (init.cookie) headers.set('cookie', init.cookie);
  return new Request(`${ROUTE_BASE}${pathAndQuery}`, { ...init, headers, duplex: 'half' } as RequestInit);
}
