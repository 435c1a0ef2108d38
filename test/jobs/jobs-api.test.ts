// The jobs HTTP API through its route handlers (permission wrapper, error shape, zod input):
// list, detail, and keyset pages of quarantined rows with opaque cursors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET as getJobRoute } from '../../app/api/jobs/[id]/route';
import { GET as getQuarantineRoute } from '../../app/api/jobs/[id]/quarantine/route';
import { GET as listJobsRoute } from '../../app/api/jobs/route';
import { createSession } from '../../lib/server/auth/sessions';
import { createUser } from '../../lib/server/auth/users';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { buildFixLog } from './fix-fixture';
import { isFinal, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const BASE = 'http://localhost';

describe('jobs API', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;
  let cookie: string;
  let jobId: string;

  beforeAll(async () => {
    env = await openJobsEnv();
    // The route handlers use the process-wide database (db/open getDb(), cached on globalThis):
    // point that cache at this test's database file.
    (globalThis as { __workbenchDb?: Promise<unknown> }).__workbenchDb = Promise.resolve(env.db);
    await seedDefaultContracts(env.db);
    await createUser(env.db, { username: 'analyst', password: 'pw-analyst-1', roles: ['analyst'], actor: 'system' });
    cookie = `wb_session=${(await createSession(env.db, 'analyst')).token}`;
    dispatcher = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 100 });
    await dispatcher.start();
    // 100 orders, every 4th new order quarantined: 25 of 301 rows (8.3 %, within policy).
    const upload = await uploadFile(env, buildFixLog({ orders: 100, badPriceEvery: 4 }), { kind: 'fix', filename: 'api.fix' });
    jobId = upload.job_ids[0];
    await waitForJob(env.db, jobId, isFinal);
  });

  afterAll(async () => {
    await dispatcher?.stop();
    (globalThis as { __workbenchDb?: Promise<unknown> }).__workbenchDb = undefined;
    await env?.cleanup();
  });

  const get = (url: string, withCookie = true) => new Request(`${BASE}${url}`, { headers: withCookie ? { cookie } : {} });
  const ctx = (id: string) => ({ params: Promise.resolve({ id }) });

  it('lists jobs and answers a job in the documented shape', async () => {
    const list = await listJobsRoute(get('/api/jobs'), undefined);
    expect(list.status).toBe(200);
    const body = (await list.json()) as { jobs: { id: string }[] };
    expect(body.jobs.map((j) => j.id)).toContain(jobId);

    const res = await getJobRoute(get(`/api/jobs/${jobId}`), ctx(jobId));
    expect(res.status).toBe(200);
    const job = await res.json();
    expect(job).toMatchObject({
      id: jobId,
      status: 'PARTIAL_SUCCESS',
      parser: { id: 'fix', version: expect.any(String) },
      progress: expect.objectContaining({ percent: 100 }),
      error: null,
    });
    expect(job.outputs).toEqual(
      expect.arrayContaining([
        { name: 'fix_order_events', status: 'PARTIAL_SUCCESS', rows: 275, quarantine_rows: 25 },
        { name: 'fix_session_events', status: 'SUCCESS', rows: 1, quarantine_rows: 0 },
      ]),
    );
  });

  it('answers errors in the one error shape', async () => {
    const anonymous = await listJobsRoute(get('/api/jobs', false), undefined);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 'auth.required' }, request_id: expect.any(String) });
    const missing = await getJobRoute(get('/api/jobs/00000000-0000-4000-8000-000000000000'), ctx('00000000-0000-4000-8000-000000000000'));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'job.not_found' } });
    const junk = await getJobRoute(get('/api/jobs/..%2Fetc'), ctx('../etc'));
    expect(junk.status).toBe(404);
    const badStatus = await listJobsRoute(get('/api/jobs?status=DONE'), undefined);
    expect(badStatus.status).toBe(400);
  });

  it('pages the jobs list, newest first, with an opaque cursor to older jobs (ties on created_at included)', async () => {
    // Five finished jobs besides the real one, two of them created at the same microsecond.
    const ids = ['10000000-0000-4000-8000-000000000001', '10000000-0000-4000-8000-000000000002', '10000000-0000-4000-8000-000000000003',
      '10000000-0000-4000-8000-000000000004', '10000000-0000-4000-8000-000000000005'];
    const created = ['2026-01-05 09:00:00.000001+00', '2026-01-04 09:00:00.5+00', '2026-01-04 09:00:00.5+00', '2026-01-03 00:00:00+00', '2025-12-31 23:59:59.999999+00'];
    for (const [i, id] of ids.entries()) {
      await env.db.run(
        `INSERT INTO jobs (id, upload_id, source_path, source_sha256, parser_id, parser_version, logic_hash, status, created_by, created_at)
         VALUES (?, 'u-old', '/nowhere', 'sha', 'fix', '1.0.0', 'x', 'FAILED', 'ops', ?::TIMESTAMPTZ)`,
        [id, created[i]],
      );
    }
    try {
      const whole = ((await (await listJobsRoute(get('/api/jobs'), undefined)).json()) as { jobs: { id: string }[]; older: string | null });
      expect(whole.older).toBeNull();
      expect(whole.jobs.map((j) => j.id)).toEqual([jobId, ids[0], ids[2], ids[1], ids[3], ids[4]]);
      const paged: string[] = [];
      let before: string | null = null;
      for (let n = 0; n < 10; n++) {
        const res = await listJobsRoute(get(`/api/jobs?limit=2${before ? `&before=${encodeURIComponent(before)}` : ''}`), undefined);
        expect(res.status).toBe(200);
        const page = (await res.json()) as { jobs: { id: string }[]; older: string | null };
        paged.push(...page.jobs.map((j) => j.id));
        before = page.older;
        if (!before) break;
      }
      expect(paged).toEqual(whole.jobs.map((j) => j.id));
      const bad = await listJobsRoute(get('/api/jobs?before=not-a-cursor'), undefined);
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { code: 'jobs.bad_cursor' } });
    } finally {
      await env.db.run(`DELETE FROM jobs WHERE upload_id = 'u-old'`);
    }
  });

  it('pages through quarantined rows with opaque keyset cursors', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/jobs/${jobId}/quarantine?output=fix_order_events&limit=10${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await getQuarantineRoute(get(url), ctx(jobId));
      expect(res.status).toBe(200);
      const body = (await res.json()) as { rows: Record<string, string>[]; next_cursor: string | null; output: string };
      expect(body.output).toBe('fix_order_events');
      expect(body.rows.length).toBeLessThanOrEqual(10);
      for (const r of body.rows) {
        expect(r._cf_job_id).toBe(jobId);
        expect(r.price).toBe('1.2.3');
        seen.push(Number(r._q_row));
      }
      cursor = body.next_cursor;
      pages++;
    } while (cursor !== null && pages < 10);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(25);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(25);
  });

  it('filters by violation type and refuses bad input', async () => {
    const first = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?limit=500`), ctx(jobId));
    const all = (await first.json()) as { rows: { _violation_type: string }[]; next_cursor: string | null };
    expect(all.rows).toHaveLength(25);
    expect(all.next_cursor).toBeNull();
    const type = all.rows[0]._violation_type;
    const filtered = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?violation_type=${type}&limit=5`), ctx(jobId));
    const f = (await filtered.json()) as { rows: { _violation_type: string }[]; next_cursor: string };
    expect(f.rows.every((r) => r._violation_type === type)).toBe(true);
    const none = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?violation_type=enum_invalid`), ctx(jobId));
    expect(((await none.json()) as { rows: unknown[] }).rows).toEqual([]);

    const tooMany = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?limit=501`), ctx(jobId));
    expect(tooMany.status).toBe(400);
    const otherTable = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?output=jobs`), ctx(jobId));
    expect(otherTable.status).toBe(400);
    expect(await otherTable.json()).toMatchObject({ error: { code: 'quarantine.unknown_output' } });
    // A cursor issued for a filtered query is refused for another query; a forged one too.
    const reused = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?cursor=${f.next_cursor}`), ctx(jobId));
    expect(reused.status).toBe(400);
    expect(await reused.json()).toMatchObject({ error: { code: 'request.bad_cursor' } });
    const forged = await getQuarantineRoute(get(`/api/jobs/${jobId}/quarantine?cursor=abc`), ctx(jobId));
    expect(forged.status).toBe(400);
  });
});
