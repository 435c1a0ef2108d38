// The load test's server: a node:http server on loopback in front of the real App Router
// handlers (app/api/**/route.ts), as test/pipelines/pipeline-cli-live.test.ts does, but with
// request bodies streamed through (a large upload is never held in memory), plus the helpers the
// sessions use: a big FIX log generator, percentiles and an RSS sampler.
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { fixMessage } from './malformed-files';

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

/**
 * Writes a FIX log of `messages` order messages (NewOrderSingle then ExecutionReport per order,
 * ClOrdIDs `LOAD-<n>`, correct 9 and 10) in ~4 MB writes. Returns the byte size.
 */
export function writeBigFixLog(file: string, messages: number): number {
  const fd = openSync(file, 'w');
  let size = 0;
  let buf: string[] = [];
  let pending = 0;
  try {
    for (let i = 0; i < messages; i++) {
      const order = i >> 1;
      const sec = String(order % 60).padStart(2, '0');
      const ts = `20240301-10:${String((order >> 6) % 60).padStart(2, '0')}:${sec}.${String(order % 1000).padStart(3, '0')}`;
      const px = `${100 + (order % 900)}.${String(order % 10000).padStart(4, '0')}`;
      const common: [number, string][] = [[49, 'LOADBUY'], [56, 'LOADBRK'], [34, String(i + 1)], [52, ts], [11, `LOAD-${order}`], [55, 'LOADSYM'], [54, '1'], [38, '100'], [40, '2'], [44, px], [60, ts]];
      const msg =
        i % 2 === 0
          ? fixMessage([[35, 'D'], ...common])
          : fixMessage([[35, '8'], ...common, [37, `LO-${order}`], [17, `LX-${order}`], [150, '0'], [39, '0'], [14, '0'], [151, '100'], [6, '0']]);
      buf.push(msg, '\n');
      pending += msg.length + 1;
      if (pending >= 4 << 20) {
        size += writeSync(fd, buf.join(''), null, 'latin1');
        buf = [];
        pending = 0;
      }
    }
    if (buf.length > 0) size += writeSync(fd, buf.join(''), null, 'latin1');
  } finally {
    closeSync(fd);
  }
  return size;
}

/** Nearest-rank percentile of the values (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** Samples this process's RSS every `everyMs` until stopped; `max` is the highest sample. */
export function sampleRss(everyMs = 100): { stop(): { max: number; samples: number } } {
  let max = process.memoryUsage.rss();
  let samples = 1;
  const t = setInterval(() => {
    const rss = process.memoryUsage.rss();
    samples++;
    if (rss > max) max = rss;
  }, everyMs);
  t.unref();
  return {
    stop() {
      clearInterval(t);
      const rss = process.memoryUsage.rss();
      return { max: Math.max(max, rss), samples: samples + 1 };
    },
  };
}
