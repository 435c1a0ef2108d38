// A read that DuckDB refuses for want of memory (a long pass holds the buffer pool) is retried
// a few times, then answered 503 db.busy with Retry-After; never 500 internal. Seen at 10M
// messages: a job-status poll failed while break detection held the 2GB limit, and the job page
// stopped updating. The out-of-memory error here is a real one from DuckDB (a list aggregate,
// which cannot spill, over a 32MB limit).
import { beforeAll, describe, expect, it } from 'vitest';
import { isDbOutOfMemory } from '../../db/db-errors';
import { DB_BUSY_RETRY_DELAYS_MS, withRoute } from '../../lib/server/http/route';
import { duckDbOutOfMemoryError } from '../support/duckdb-out-of-memory';

let dbOutOfMemory: Error;

beforeAll(async () => {
  dbOutOfMemory = await duckDbOutOfMemoryError();
});

const request = (method: string) => new Request('http://workbench.test/api/health', { method, headers: { host: 'workbench.test' } });

describe('a database out of memory', () => {
  it('is recognised from DuckDB\'s own error, and nothing else is', () => {
    expect(isDbOutOfMemory(dbOutOfMemory)).toBe(true);
    expect(isDbOutOfMemory(new Error('Binder Error: column x not found'))).toBe(false);
    expect(isDbOutOfMemory('Out of Memory Error')).toBe(false);
  });

  it('a read is retried and answered when memory comes back', async () => {
    let calls = 0;
    const handler = withRoute({ permission: null }, async () => {
      calls++;
      if (calls <= 2) throw dbOutOfMemory;
      return Response.json({ ok: true });
    });
    const res = await handler(request('GET'), {});
    expect(res.status).toBe(200);
    expect(calls).toBe(3);
  });

  it('a read refused every time is 503 db.busy with Retry-After, after the bounded retries', async () => {
    let calls = 0;
    const handler = withRoute({ permission: null }, async () => {
      calls++;
      throw dbOutOfMemory;
    });
    const started = Date.now();
    const res = await handler(request('GET'), {});
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('5');
    const body = await res.json();
    expect(body.error.code).toBe('db.busy');
    expect(JSON.stringify(body)).not.toMatch(/Out of Memory|\n\s+at /);
    expect(calls).toBe(DB_BUSY_RETRY_DELAYS_MS.length + 1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(DB_BUSY_RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) - 50);
  });

  it('a write is not retried: 503 db.busy at once', async () => {
    let calls = 0;
    const handler = withRoute({ permission: null }, async () => {
      calls++;
      throw dbOutOfMemory;
    });
    const res = await handler(request('POST'), {});
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('db.busy');
    expect(calls).toBe(1);
  });
});
