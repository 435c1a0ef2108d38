// Load (issue 10): 50 concurrent HTTP sessions browse breaks (GET /api/breaks with filters and
// keyset cursors) and drill down (GET /api/orders/{clOrdId}) while a large FIX job runs: 0
// errors, and the p95 latency while the job runs at most 1.5 × the idle p95 the same sessions
// measured first. Loopback only; a real DuckDB file in a temp DATA_DIR, the real route handlers
// behind a node:http server, the real dispatcher with real worker processes, the job uploaded
// through the real upload route. The server process's RSS is sampled the whole time and must
// stay under a documented bound (docs/reliability.md, "Load").
//
// Sizes: LOAD_MESSAGES messages in the big job (1,000,000 under `npm run test:reliability`,
// 100,000 inside `npm test`). The 1.5 × p95 bound is asserted under test:reliability (or with
// LOAD_ASSERT_P95=1); inside `npm test` on a shared 2-core machine the ratio is logged only and
// the test asserts 0 errors, the job's success and the memory bound.
import { createReadStream, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { makeTempDir } from '../app/temp-db';
import { reliabilityFull } from './fuzz-harness';
import { startLoopbackServer, type LoopbackServer } from '../support/loopback-route-server';
import { percentile, sampleRss, writeBigFixLog } from './load-harness';

const FULL = reliabilityFull();
const SESSIONS = Number(process.env.LOAD_SESSIONS ?? (FULL ? 50 : 20));
const MESSAGES = Number(process.env.LOAD_MESSAGES ?? (FULL ? 1_000_000 : 50_000));
const ASSERT_P95 = FULL || process.env.LOAD_ASSERT_P95 === '1';
/** Rounds of browsing per session in the idle phase (each round: 2–3 break pages and 2 drill-downs). */
const IDLE_ROUNDS = FULL ? 3 : 2;
/** The busy phase stops at the job's release or after this long (the test is bounded in time). */
const BUSY_LIMIT_MS = FULL ? 4 * 60_000 : 45_000;
/** The job must then be released (promoted) within this long. */
const JOB_LIMIT_MS = FULL ? 30 * 60_000 : 5 * 60_000;
/** Server RSS bound: the baseline after setup plus this much (see docs/reliability.md, "Load"). */
const RSS_HEADROOM_BYTES = 768 * 1024 * 1024;
const PASSWORD = 'load-password';

let tempRoot = '';
let dataDir = '';
let server: LoopbackServer;
let dispatcher: Dispatcher;
let closeDb: () => Promise<void>;
let clOrdIds: string[] = [];
let symbols: string[] = [];
let classes: string[] = [];

beforeAll(async () => {
  tempRoot = makeTempDir('wb-load-');
  dataDir = path.join(tempRoot, 'data');
  process.env.DATA_DIR = dataDir;
  process.env.WORKBENCH_DEMO_PASSWORD = PASSWORD;
  process.env.UPLOAD_MAX_BYTES = String(4 * 1024 * 1024 * 1024);
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const db = await open.getDb();
  await (await import('../../lib/server/auth/initial-users')).ensureInitialUsers(db, process.env, () => undefined);
  const { createDispatcher } = await import('../../lib/server/jobs/dispatcher');
  dispatcher = await createDispatcher({ db, dataDir, concurrency: 2, pollMs: 100 });
  await dispatcher.start();
  // The breaks to browse: the demo dataset (contracts seeded and approved, two jobs promoted,
  // break detection run).
  const released = new Set<string>();
  dispatcher.events.on('released', (e: { jobId: string }) => released.add(e.jobId));
  const { loadDemoIfFirstStart } = await import('../../lib/server/demo/load-demo');
  const demo = await loadDemoIfFirstStart({ db, dataDir, orders: 400, seed: 11, env: {} });
  expect(demo.jobIds.length).toBe(2);
  while (!demo.jobIds.every((id) => released.has(id))) await new Promise((r) => setTimeout(r, 50));
  await dispatcher.breakDetectionIdle();
  // The big job's own break detection would run after the measured window (and hold up the
  // test's end): the dispatcher that runs it has break detection off.
  await dispatcher.stop();
  dispatcher = await createDispatcher({ db, dataDir, concurrency: 2, pollMs: 100, breakDetection: false });
  await dispatcher.start();
  // Drill-down targets: every order of the demo (those with breaks and the clean ones).
  clOrdIds = (await db.all<{ id: string }>(`SELECT DISTINCT cl_ord_id AS id FROM fix_order_events WHERE cl_ord_id IS NOT NULL ORDER BY 1`)).map((r) => r.id);
  symbols = (await db.all<{ s: string }>(`SELECT DISTINCT symbol AS s FROM breaks WHERE symbol IS NOT NULL ORDER BY 1`)).map((r) => r.s);
  classes = (await db.all<{ c: string }>(`SELECT DISTINCT class AS c FROM breaks ORDER BY 1`)).map((r) => r.c);
  expect(clOrdIds.length).toBeGreaterThan(100);
  expect(Number((await db.all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM breaks`))[0].n)).toBeGreaterThan(20);

  server = await startLoopbackServer();
  server.route('POST', '/api/auth/login', (await import('../../app/api/auth/login/route')).POST);
  server.route('GET', '/api/breaks', (await import('../../app/api/breaks/route')).GET);
  server.route('GET', '/api/orders/[clOrdId]', (await import('../../app/api/orders/[clOrdId]/route')).GET);
  server.route('POST', '/api/uploads', (await import('../../app/api/uploads/route')).POST);
}, 300_000);

afterAll(async () => {
  await server?.close();
  await dispatcher?.stop();
  await closeDb?.();
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});

async function login(username: string): Promise<string> {
  const res = await fetch(`${server.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.baseUrl },
    body: JSON.stringify({ username, password: PASSWORD }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.headers.getSetCookie()[0].split(';')[0];
}

interface Sample {
  /** performance.now() at the start */
  at: number;
  ms: number;
  ok: boolean;
  what: string;
  status: number;
}

/** mulberry32, per session: the same session browses the same way in both phases. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function timedGet(cookie: string, pathAndQuery: string, out: Sample[]): Promise<unknown> {
  const t0 = performance.now();
  let status = 0;
  let body: unknown = null;
  try {
    const res = await fetch(`${server.baseUrl}${pathAndQuery}`, { headers: { cookie } });
    status = res.status;
    body = await res.json();
  } catch {
    status = -1;
  }
  out.push({ at: t0, ms: performance.now() - t0, ok: status === 200, what: pathAndQuery, status });
  return body;
}

/** One round of browsing: a filtered breaks list, its next pages by cursor, two drill-downs. */
async function browseRound(cookie: string, r: () => number, out: Sample[]): Promise<void> {
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const filters = [
    '',
    `class=${encodeURIComponent(pick(classes))}`,
    'status=open',
    `symbol=${encodeURIComponent(pick(symbols))}`,
    `age=${encodeURIComponent(pick(['0', '1', '2-4', '5+']))}`,
    `cl_ord_id=${encodeURIComponent(pick(clOrdIds).slice(0, 6))}`,
  ];
  const base = `/api/breaks?limit=${pick([5, 10, 25])}&${pick(filters)}`;
  let page = (await timedGet(cookie, base, out)) as { next_cursor?: string | null; items?: { cl_ord_id: string | null }[] } | null;
  const seen = [...(page?.items ?? [])];
  for (let k = 0; k < 2 && page?.next_cursor; k++) {
    page = (await timedGet(cookie, `${base}&cursor=${encodeURIComponent(page.next_cursor)}`, out)) as typeof page;
    seen.push(...(page?.items ?? []));
  }
  const ids = seen.map((b) => b.cl_ord_id).filter((x): x is string => !!x);
  for (let k = 0; k < 2; k++) await timedGet(cookie, `/api/orders/${encodeURIComponent(ids.length > 0 ? pick(ids) : pick(clOrdIds))}`, out);
}

function summarise(samples: Sample[]) {
  const ms = samples.map((s) => s.ms);
  const of = (prefix: string) => samples.filter((s) => s.what.startsWith(prefix)).map((s) => s.ms);
  return {
    requests: samples.length, errors: samples.filter((s) => !s.ok).length, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms),
    breaksP95: percentile(of('/api/breaks'), 95), ordersP95: percentile(of('/api/orders'), 95),
  };
}

const fmt = (x: number) => x.toFixed(1);

describe(`load: ${SESSIONS} sessions browsing breaks while a large FIX job runs`, () => {
  it(
    `0 errors, busy p95 ≤ 1.5 × idle p95${ASSERT_P95 ? '' : ' (ratio logged)'}, server RSS bounded (${MESSAGES} messages)`,
    async () => {
      const bigFile = path.join(tempRoot, 'big.fix');
      const bytes = writeBigFixLog(bigFile, MESSAGES);
      const cookies = await Promise.all(Array.from({ length: SESSIONS }, () => login('analyst')));
      const opsCookie = await login('ops');

      const rssBaseline = process.memoryUsage.rss();
      const rss = sampleRss(100);

      // Solo (context for the figures, not asserted): one session, one request at a time.
      const solo: Sample[] = [];
      await browseRound(cookies[0], rng(7), solo);
      await browseRound(cookies[0], rng(8), solo);

      // Idle: every session browses IDLE_ROUNDS rounds, all at once.
      const idle: Sample[] = [];
      const idleStart = Date.now();
      await Promise.all(cookies.map(async (c, i) => {
        const r = rng(1000 + i);
        for (let k = 0; k < IDLE_ROUNDS; k++) await browseRound(c, r, idle);
      }));

      const idleMs = Date.now() - idleStart;

      // The big job: uploaded through the route (streamed), then run by a worker process.
      let spawned = false;
      let releasedStatus: string | null = null;
      let bigJob = '';
      dispatcher.events.on('spawned', (e: { jobId: string }) => {
        if (e.jobId === bigJob) spawned = true;
      });
      let lastProgress = 0;
      let releasedAt = Infinity;
      dispatcher.events.on('progress', (e: { jobId: string }) => {
        if (e.jobId === bigJob) lastProgress = performance.now();
      });
      dispatcher.events.on('released', (e: { jobId: string; status: string }) => {
        if (e.jobId === bigJob) {
          releasedStatus = e.status;
          releasedAt = performance.now();
        }
      });
      const up = await fetch(`${server.baseUrl}/api/uploads?kind=fix&filename=big.fix`, {
        method: 'POST',
        headers: { cookie: opsCookie, origin: server.baseUrl, 'content-type': 'application/octet-stream' },
        body: Readable.toWeb(createReadStream(bigFile)) as ReadableStream<Uint8Array>,
        duplex: 'half',
      } as RequestInit);
      const upBody = (await up.json()) as { job_ids: string[]; size_bytes: number };
      expect(up.status, JSON.stringify(upBody)).toBe(201);
      expect(upBody.size_bytes).toBe(bytes);
      expect(upBody.job_ids).toHaveLength(1);
      bigJob = upBody.job_ids[0];
      const jobDeadline = Date.now() + JOB_LIMIT_MS;
      while (!spawned && releasedStatus === null && Date.now() < jobDeadline) await new Promise((r) => setTimeout(r, 20));
      expect(spawned, 'the big job started a worker').toBe(true);

      // Busy: the same sessions browse in rounds until the job is released (promotion included).
      // A request counts as busy when it started before the release.
      const busy: Sample[] = [];
      let rounds = 0;
      const busySessions = new Set<number>();
      const busyStart = Date.now();
      const deadline = busyStart + BUSY_LIMIT_MS;
      await Promise.all(cookies.map(async (c, i) => {
        const r = rng(1000 + i);
        while (releasedStatus === null && Date.now() < deadline) {
          const mine: Sample[] = [];
          await browseRound(c, r, mine);
          const counted = mine.filter((x) => x.at < releasedAt);
          busy.push(...counted);
          if (counted.length > 0) busySessions.add(i);
          rounds++;
        }
      }));
      const busyMs = Date.now() - busyStart;
      while (releasedStatus === null && Date.now() < jobDeadline) await new Promise((r) => setTimeout(r, 50));
      const rssMax = rss.stop().max;
      expect(releasedStatus, 'the big job finished within the time bound').not.toBeNull();
      expect(releasedStatus).toBe('SUCCESS');

      const i = summarise(idle);
      const b = summarise(busy);
      const ratio = b.p95 / i.p95;
      const o = summarise(solo);
      // Context: the part of the busy window while the worker parsed (progress events), and after (promotion, in this process).
      const parsing = summarise(busy.filter((x) => x.at <= lastProgress));
      const promoting = summarise(busy.filter((x) => x.at > lastProgress));
      console.log(
        `[load] ${SESSIONS} sessions, job of ${MESSAGES} messages (${(bytes / 1e6).toFixed(0)} MB). ` +
          `solo: ${o.requests} req p50 ${fmt(o.p50)} ms p95 ${fmt(o.p95)} ms. ` +
          `idle: ${i.requests} req in ${(idleMs / 1000).toFixed(1)} s, p50 ${fmt(i.p50)} ms p95 ${fmt(i.p95)} ms (breaks p95 ${fmt(i.breaksP95)}, drill-down p95 ${fmt(i.ordersP95)}). ` +
          `busy: ${b.requests} req in ${(busyMs / 1000).toFixed(1)} s (${rounds} rounds; job ${releasedStatus ? 'released' : 'running'} at the end), p50 ${fmt(b.p50)} ms p95 ${fmt(b.p95)} ms (breaks p95 ${fmt(b.breaksP95)}, drill-down p95 ${fmt(b.ordersP95)}). ` +
          `busy while the worker parsed: ${parsing.requests} req p95 ${fmt(parsing.p95)} ms; after (promotion): ${promoting.requests} req p95 ${fmt(promoting.p95)} ms. ` +
          `p95 ratio ${ratio.toFixed(2)}. server RSS baseline ${(rssBaseline / 2 ** 20).toFixed(0)} MiB, max ${(rssMax / 2 ** 20).toFixed(0)} MiB`,
      );
      const failures = [...idle, ...busy].filter((s) => !s.ok).slice(0, 5).map((s) => `${s.status} ${s.what}`);
      expect(failures, 'errors').toEqual([]);
      // Every session browsed while the job ran.
      expect(busySessions.size).toBe(SESSIONS);
      expect(rssMax - rssBaseline, `server RSS grew by ${((rssMax - rssBaseline) / 2 ** 20).toFixed(0)} MiB`).toBeLessThanOrEqual(RSS_HEADROOM_BYTES);
      if (ASSERT_P95) expect(ratio, `busy p95 ${b.p95.toFixed(1)} ms vs idle p95 ${i.p95.toFixed(1)} ms`).toBeLessThanOrEqual(1.5);
      expect(statSync(bigFile).size).toBe(bytes);
    },
    FULL ? 30 * 60_000 : 6 * 60_000,
  );
});
