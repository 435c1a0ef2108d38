// Every route handler is wrapped: request id, cross-origin refusal for state-changing methods,
// authentication and the permission check (on the server, before the handler runs), and one
// error shape: {"error":{"code","message"},"request_id"}. Unknown errors are logged with the
// request id and answered `internal` — never a stack or an internal message.
import { randomUUID } from 'node:crypto';
import { ZodError } from 'zod';
import { userFromRequest } from '../auth/request-user';
import type { SessionUser } from '../auth/users';
import { isDbOutOfMemory } from '../../../db/db-errors';
import { requirePermission, type Permission } from '../permissions';
import { ApiError, isApiError } from './api-error';
import { serverTimingHeader, timePart, withServerTiming } from './server-timing';

export { ApiError } from './api-error';

/** Where withRoute records a handler's permission (null: public). */
export const ROUTE_PERMISSION = Symbol.for('workbench.routePermission');

type Authenticated<C> = (req: Request, ctx: C, user: SessionUser) => Promise<Response>;
type Public<C> = (req: Request, ctx: C, user: SessionUser | null) => Promise<Response>;

/** `permission: null` marks a public route (health, login); everything else names its permission. */
export function withRoute<C = unknown>(opts: { permission: Permission }, handler: Authenticated<C>): (req: Request, ctx: C) => Promise<Response>;
export function withRoute<C = unknown>(opts: { permission: null }, handler: Public<C>): (req: Request, ctx: C) => Promise<Response>;
export function withRoute<C = unknown>(
  opts: { permission: Permission | null },
  handler: Authenticated<C> | Public<C>,
): (req: Request, ctx: C) => Promise<Response> {
  const wrapped = async (req: Request, ctx: C): Promise<Response> => {
    const requestId = randomUUID();
    const started = performance.now();
    let response: Response;
    let measured: ReadonlyMap<string, number> = new Map();
    try {
      refuseCrossOrigin(req);
      // Authentication reads the database too: it is retried with the handler (runWhileDbBusy).
      const timed = await withServerTiming(() =>
        runWhileDbBusy(req, async () => {
          let user: SessionUser | null = null;
          // Its own Server-Timing part (auth): the session lookup is a database read of its own.
          if (opts.permission !== null) {
            user = await timePart('auth', () => userFromRequest(req));
            requirePermission(user, opts.permission);
          } else {
            user = await timePart('auth', () => userFromRequest(req)).catch((e: unknown) => {
              if (isDbOutOfMemory(e)) throw e;
              return null;
            });
          }
          return (handler as Public<C>)(req, ctx, user);
        }),
      );
      response = timed.value;
      measured = timed.parts;
    } catch (e) {
      response = errorResponse(e, requestId);
    }
    response.headers.set('x-request-id', requestId);
    // Server-Timing (W3C): the time this process spent on the request (authentication, the
    // handler, a JSON body built), without the network and the framework around it. Browsers
    // show it in their network panel; the benchmark separates server time from HTTP with it.
    // A streamed body is still being produced when this is set. Handlers may add named parts
    // (server-timing.ts: the drill-down's database queries and raw-byte reads).
    response.headers.set('server-timing', serverTimingHeader(performance.now() - started, measured));
    return response;
  };
  // Declared permission, readable by the access-control test that walks every route handler.
  Object.defineProperty(wrapped, ROUTE_PERMISSION, { value: opts.permission, enumerable: false });
  return wrapped;
}


/**
 * Pauses before each retry of a read that DuckDB refused for want of memory (isDbOutOfMemory):
 * a long statement holds the buffer pool and usually frees some within seconds. After the last,
 * the answer is 503 db.busy with Retry-After. Only safe methods are retried (a refused write is
 * rolled back and answered 503 at once: the client decides).
 */
export const DB_BUSY_RETRY_DELAYS_MS = [250, 750, 1500];
const DB_BUSY_RETRY_AFTER_S = 5;

async function runWhileDbBusy(req: Request, run: () => Promise<Response>): Promise<Response> {
  const delays = SAFE_METHODS.has(req.method) ? DB_BUSY_RETRY_DELAYS_MS : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isDbOutOfMemory(e)) throw e;
      if (attempt >= delays.length) {
        throw new ApiError(
          'db.busy',
          503,
          'The database is busy with a long task (break detection or a promotion) and has no memory to spare right now. Try again in a few seconds.',
          { retry_after_s: DB_BUSY_RETRY_AFTER_S },
          { 'retry-after': String(DB_BUSY_RETRY_AFTER_S) },
        );
      }
      await new Promise((r) => setTimeout(r, delays[attempt]));
    }
  }
}

/** The permission a route handler was declared with; undefined when it was not made by withRoute. */
export function routePermissionOf(handler: unknown): Permission | null | undefined {
  if (typeof handler !== 'function') return undefined;
  return (handler as unknown as Record<symbol, Permission | null | undefined>)[ROUTE_PERMISSION];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * A state-changing request must come from our own origin. Browsers send Origin on every
 * cross-origin POST (and Sec-Fetch-Site); clients without Origin (curl, scripts) are not
 * browsers and cannot carry a victim's cookie by accident.
 */
export function refuseCrossOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return;
  const site = req.headers.get('sec-fetch-site');
  if (site === 'cross-site' || site === 'same-site') throw crossOrigin();
  const origin = req.headers.get('origin');
  if (origin === null) return;
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host') ?? new URL(req.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw crossOrigin();
  }
  if (origin === 'null' || originHost !== host) throw crossOrigin();
}

function crossOrigin(): ApiError {
  return new ApiError('auth.cross_origin', 403, 'Cross-origin requests cannot change anything.');
}

export function errorBody(code: string, message: string, requestId: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details }, request_id: requestId };
}

export function errorResponse(e: unknown, requestId: string): Response {
  if (isApiError(e)) return Response.json(errorBody(e.code, e.message, requestId, e.details), { status: e.status, headers: e.headers });
  if (e instanceof ZodError) {
    const details = e.issues.map((i) => ({ path: i.path.map(String).join('.'), code: i.code, message: i.message }));
    return Response.json(errorBody('request.invalid', 'The request is not valid.', requestId, details), { status: 400 });
  }
  console.error(`[request ${requestId}] unhandled error`, e);
  return Response.json(errorBody('internal', 'Internal error. Quote the request id when reporting it.', requestId), { status: 500 });
}

/** The JSON body parsed by a zod schema; 400 request.bad_json / request.invalid, 413 request.too_large. */
export async function readJson<T>(req: Request, schema: { parse(v: unknown): T }, maxBytes = 1024 * 1024): Promise<T> {
  const text = await readTextCapped(req, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('request.bad_json', 400, 'The request body is not valid JSON.');
  }
  return schema.parse(value);
}

/** An application/x-www-form-urlencoded body (a form posted without JavaScript), capped like readJson. */
export async function readForm(req: Request, maxBytes = 64 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams(await readTextCapped(req, maxBytes));
}

export function isFormPost(req: Request): boolean {
  return (req.headers.get('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** The body as UTF-8 text, reading at most maxBytes (a chunked body is not buffered past the cap). */
async function readTextCapped(req: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => new ApiError('request.too_large', 413, `The request body is larger than ${maxBytes} bytes.`);
  if (Number(req.headers.get('content-length') ?? '0') > maxBytes) throw tooLarge();
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
