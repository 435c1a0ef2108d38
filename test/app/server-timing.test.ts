// Server-Timing names where a request's server time went: app (the whole handler) and the parts
// a handler measures with timePart (the drill-down's db and raw), summed per name, in the order
// first measured. Outside a request timePart only runs the function.
import { describe, expect, it } from 'vitest';
import { withRoute } from '../../lib/server/http/route';
import { serverTimingHeader, timePart, withServerTiming } from '../../lib/server/http/server-timing';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const request = () => new Request('http://workbench.test/api/health', { headers: { host: 'workbench.test' } });

describe('Server-Timing parts', () => {
  it('sums each part over its calls, concurrent ones included, and keeps them apart per request', async () => {
    const a = withServerTiming(async () => {
      await timePart('db', () => sleep(20));
      await Promise.all([timePart('raw', () => sleep(30)), timePart('raw', () => sleep(30))]);
      await timePart('db', () => sleep(20));
      return 'a';
    });
    const b = withServerTiming(async () => timePart('db', () => sleep(5)));
    const [ra, rb] = await Promise.all([a, b]);
    expect(ra.value).toBe('a');
    expect([...ra.parts.keys()]).toEqual(['db', 'raw']);
    expect(ra.parts.get('db')!).toBeGreaterThanOrEqual(38);
    expect(ra.parts.get('raw')!).toBeGreaterThanOrEqual(58); // two overlapping 30 ms reads: 60 ms of part time
    expect([...rb.parts.keys()]).toEqual(['db']);
    expect(rb.parts.get('db')!).toBeLessThan(38);
  });

  it('outside a request, timePart runs the function and records nothing', async () => {
    await expect(timePart('db', async () => 7)).resolves.toBe(7);
    await expect(timePart('db', async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  });

  it('writes app first, then the parts, one decimal each', () => {
    expect(serverTimingHeader(72.44, new Map([['db', 41.06], ['raw', 28.3]]))).toBe('app;dur=72.4, db;dur=41.1, raw;dur=28.3');
    expect(serverTimingHeader(3, new Map())).toBe('app;dur=3.0');
  });

  it('a route answer carries the parts its handler measured, a failed part included', async () => {
    const handler = withRoute({ permission: null }, async () => {
      await timePart('db', () => sleep(10));
      await timePart('raw', () => sleep(10)).catch(() => undefined);
      return Response.json({ ok: true });
    });
    const res = await handler(request(), {});
    // auth: the session lookup (none here: no cookie, but it is still looked for).
    expect(res.headers.get('server-timing')).toMatch(/^app;dur=\d+\.\d, auth;dur=\d+\.\d, db;dur=\d+\.\d, raw;dur=\d+\.\d$/);
  });
});
