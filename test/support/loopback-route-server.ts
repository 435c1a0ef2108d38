// A node:http server on loopback in front of the real App Router handlers (app/api/**/route.ts):
// no test starts the Next server (it needs a production build), so requests are adapted to the
// handlers' Request / Response. Request bodies stream through (a large upload is never held in
// memory); Set-Cookie headers are kept one by one. Used by the pipeline CLI's live test and the
// load test.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

export interface LoopbackServer {
  baseUrl: string;
  route(method: string, template: string, handler: unknown): void;
  close(): Promise<void>;
}

export async function startLoopbackServer(): Promise<LoopbackServer> {
  const routes: Route[] = [];
  let baseUrl = '';
  async function adapt(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', baseUrl);
    const match = routes
      .filter((r) => r.method === req.method)
      .map((r) => ({ r, m: r.pattern.exec(url.pathname) }))
      .find((x) => x.m !== null);
    if (!match) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { code: 'test.no_route', message: url.pathname } }));
      return;
    }
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const request = new Request(url, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
      duplex: 'half',
    } as RequestInit);
    const params: Record<string, string> = {};
    match.r.names.forEach((n, i) => (params[n] = decodeURIComponent(match.m![i + 1])));
    const response = await match.r.handler(request, { params: Promise.resolve(params) });
    const out: Record<string, string | string[]> = {};
    response.headers.forEach((v, k) => {
      if (k !== 'set-cookie') out[k] = v;
    });
    const cookies = response.headers.getSetCookie();
    if (cookies.length > 0) out['set-cookie'] = cookies;
    res.writeHead(response.status, out).end(Buffer.from(await response.arrayBuffer()));
  }
  const server: Server = createServer((req, res) => {
    adapt(req, res).catch((e: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(e));
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    baseUrl,
    route(method, template, handler) {
      const names: string[] = [];
      const source = template.replace(/\[(\w+)\]/g, (_m, n: string) => {
        names.push(n);
        return '([^/]+)';
      });
      routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler: handler as Handler });
    },
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
