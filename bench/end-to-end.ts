// `npm run bench -- end-to-end [--messages N] [--quick] [--json]` (issue 9 (4) and (6)): the
// real server and worker processes, over HTTP.
//
// 1. Generates a demo dataset of ≈ N FIX messages and its confirmations in a temp dir, and
//    measures the ceiling (read + split into fields, per CPU-second) on that FIX file.
// 2. Prepares a temp DATA_DIR as an operator would have it: the database migrated, the parsers'
//    default contracts approved (seedDefaultContracts) and one account; then starts the
//    production server (`next start` on the existing .next build, or `node scripts/start.mjs`,
//    which builds, when there is none) with WORKBENCH_DEMO=0 and WORKER_CONCURRENCY = workers.
// 3. Logs in, uploads the FIX file then the confirmations through POST /api/uploads (streamed
//    from disk), and polls GET /api/jobs/{id} until both jobs are promoted and their breaks
//    detected (metrics.breaks_detected_at, written by the dispatcher's break-detection queue).
//    end_to_end = first upload byte → last breaks_detected_at (server clock, same machine).
//    Polls every POLL_MS (the job page's own interval; BENCH_POLL_MS overrides): the figure comes
//    from the server's clock, so a faster poll only adds load. Polling two jobs every 100 ms
//    cost the server 5 CPU-s and the 1M run 2.5 s (docs/performance.md).
// 4. Breaks page (GET /api/breaks, first page) and drill-down (GET /api/orders/{clOrdId})
//    latency over HTTP, with authentication and JSON: p50 / p95 / p99.
// 5. Peak RSS per process: the server from /proc/<pid>/status VmHWM; each worker reports its own
//    peak (process.resourceUsage().maxRSS = VmHWM) with its result, kept in the job's
//    metrics.workers; /proc is also sampled every 250 ms as a cross-check.
// CPU: the server's own CPU time and that of its reaped children (the workers), from
// /proc/<pid>/stat, over the measured interval.
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../db/open';
import { generateDataset } from '../lib/demo/generate-dataset';
import { DEFAULT_UPLOAD_MAX_BYTES } from '../lib/server/uploads/upload-limits';
import { createUser } from '../lib/server/auth/users';
import { seedDefaultContracts } from '../lib/server/jobs/seed-default-contracts';
import { ceilingOf } from './read-and-split';
import { cpuSeconds, PeakSampler, peakRssMb, type ProcessPeak } from './end-to-end-processes';
import { latency, type LatencyStats, type ServerTime } from './timed';
import { workerEnv } from '../lib/server/jobs/worker-env';
import type { BreakPassView } from '../lib/server/jobs/break-pass-progress';
import { describeBreakPass } from '../app/jobs/job-format';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The demo generator writes ≈ 5.1 messages per order. */
const MESSAGES_PER_ORDER = 5.1;
const USER = 'bench';
const PASSWORD = 'bench-password-e2e';
const LATENCY_REQUESTS = 50;

export interface BenchEndToEndOptions {
  messages: number;
  json: boolean;
  /** Worker processes (WORKER_CONCURRENCY); default the number of cores. */
  workers?: number;
  /** Give up waiting for the jobs after this long (default 30 min). */
  timeoutMs?: number;
}

export interface BenchEndToEndResult {
  messages: number;
  fix_bytes: number;
  confirmation_bytes: number;
  workers: number;
  byte_ranges: number | null;
  ceiling_msgs_per_s: number;
  ceiling_wall_msgs_per_s: number;
  end_to_end_s: number;
  end_to_end_msgs_per_s: number;
  end_to_end_ratio: number;
  /** CPU seconds of the server and its workers over the measured interval. */
  end_to_end_cpu_s: number;
  end_to_end_msgs_per_cpu_s: number;
  upload: { fix_mb: number; fix_s: number; fix_mb_per_s: number; confirmations_mb: number; confirmations_s: number };
  upload_mb_per_s: number;
  /** Milestones in seconds from the first upload byte. */
  timeline: Record<string, number | null>;
  jobs: Record<string, unknown>[];
  /** Job polls answered 503 db.busy while the jobs ran. */
  busy_polls: number;
  /**
   * The pass's steps the job polls saw running (break_detection.pass.step, in the order first
   * seen): what the job page showed of the pass. At 1M most steps finish between two polls.
   */
  breaks_pass_steps_seen: string[];
  /** Milliseconds between job polls (POLL_MS). */
  poll_ms: number;
  breaks_found: number | null;
  breaks_page: LatencyStats | null;
  drilldown: LatencyStats | null;
  /** The same requests again, after the first round. */
  breaks_page_second_round: LatencyStats | null;
  drilldown_second_round: LatencyStats | null;
  breaks_page_p95_ms: number | null;
  drilldown_p95_ms: number | null;
  /**
   * The machine's dirty and writeback page cache when the first latency round starts, MB
   * (/proc/meminfo): reads of cold blocks wait behind writeback of what the run wrote.
   */
  page_cache_at_latency: { dirty_mb: number; writeback_mb: number } | null;
  /**
   * Every break downloaded as the breaks page's export (GET /api/breaks/export, CSV and Parquet),
   * after the latency rounds and after the peak RSS figures were read. `csv_rows`: the file's
   * lines less the header (a break's details hold no line break).
   */
  breaks_export: { csv_s: number; csv_mb: number; csv_rows: number; parquet_s: number; parquet_mb: number } | null;
  /**
   * What the server read from storage (/proc/<pid>/io read_bytes: reads the page cache could not
   * serve), MB, during each round of breaks-page and drill-down requests: a first round that
   * reads from disk where the second does not finds the database's pages evicted by the pass.
   */
  server_storage_read_mb: { first_round: number; second_round: number } | null;
  peak_rss_mb: { server: number | null; workers: (number | null)[]; sampled: ProcessPeak[] };
  /**
   * DUCKDB_JE_MALLOC_CONF the server ran with (null: DuckDB's compiled-in jemalloc options). It
   * moves its peak RSS and its time (docs/performance.md, "Memory of the server"), so a figure
   * says which it was measured with.
   */
  duckdb_allocator_conf: string | null;
  /** DUCKDB_JE_MALLOC_CONF the workers started with (lib/server/jobs/worker-env.ts). */
  worker_duckdb_allocator_conf: string | null;
  server_start_s: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Between job polls: the job page's interval (app/jobs/[id]/job-live-status.tsx), see the header. */
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 1000);

class HttpError extends Error {
  constructor(message: string, readonly status: number) {
    super(message);
  }
}

/** Dirty and Writeback of /proc/meminfo in MB (null where there is none). */
function dirtyPageCacheMb(): { dirty_mb: number; writeback_mb: number } | null {
  if (!existsSync('/proc/meminfo')) return null;
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
  return { dirty_mb: Math.round(kb('Dirty') / 1024), writeback_mb: Math.round(kb('Writeback') / 1024) };
}

/** Bytes a process has read from storage so far (/proc/<pid>/io read_bytes), null where unknown. */
function storageReadBytes(pid: number | undefined): number | null {
  if (pid === undefined || !existsSync(`/proc/${pid}/io`)) return null;
  const m = /^read_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
  return m ? Number(m[1]) : null;
}

/** A migrated database with approved default contracts and the bench account; closed again. */
export async function prepareDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir });
  try {
    await createUser(db, { username: USER, password: PASSWORD, roles: ['admin', 'ops', 'analyst'], actor: 'bench' });
    await seedDefaultContracts(db, { author: 'bench', reviewer: 'bench-reviewer' });
  } finally {
    await db.close();
  }
}

export interface Server {
  child: ChildProcess;
  base: string;
  /** pid of the process serving (next start); its children are the workers. */
  pid: number;
  log: string[];
}

async function startServer(dataDir: string, workers: number, log: (s: string) => void, extraEnv: Record<string, string> = {}): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...extraEnv,
    PORT: String(port),
    DATA_DIR: dataDir,
    WORKBENCH_DEMO: '0',
    NEXT_TELEMETRY_DISABLED: '1',
    WORKBENCH_SKIP_BUILD_TYPECHECK: '1',
    WORKER_CONCURRENCY: String(workers),
    NODE_ENV: 'production',
  };
  // Reuse the production build when there is one (start.mjs would rebuild whenever a source file
  // is newer than it); without one, start.mjs builds first.
  const nextBin = path.join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
  const hasBuild = existsSync(path.join(ROOT, '.next', 'BUILD_ID'));
  const args = hasBuild ? [nextBin, 'start', '-p', String(port)] : [path.join(ROOT, 'scripts', 'start.mjs')];
  if (!hasBuild) log('no .next build: scripts/start.mjs builds first (minutes)');
  // BENCH_SERVER_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (Node
  // refuses --cpu-prof in NODE_OPTIONS, so it is passed here).
  const prof = process.env.BENCH_SERVER_CPU_PROF;
  const child = spawn(process.execPath, [...(prof ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`] : []), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const l of chunk.toString('utf8').split('\n')) if (l.trim()) lines.push(l);
    if (lines.length > 2000) lines.splice(0, lines.length - 2000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const base = `http://127.0.0.1:${port}`;
  const until = Date.now() + (hasBuild ? 180_000 : 1_200_000);
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${lines.slice(-30).join('\n')}`);
    try {
      const res = await fetch(`${base}/api/health`);
      if (res.ok) return { child, base, pid: child.pid!, log: lines };
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  child.kill('SIGKILL');
  throw new Error(`the server did not answer /api/health in time:\n${lines.slice(-30).join('\n')}`);
}

async function stopServer(s: Server): Promise<void> {
  if (s.child.exitCode !== null) return;
  const exited = new Promise<void>((r) => s.child.once('exit', () => r()));
  s.child.kill('SIGTERM');
  const timer = setTimeout(() => s.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

export class Client {
  private cookie = '';
  constructor(private readonly base: string) {}

  async login(): Promise<void> {
    const res = await fetch(`${this.base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: this.base },
      body: JSON.stringify({ username: USER, password: PASSWORD }),
    });
    if (!res.ok) throw new Error(`login failed: ${res.status} ${await res.text()}`);
    this.cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  }

  async get<T>(p: string): Promise<T> {
    return (await this.getTimed<T>(p)).body;
  }

  /** The body, and the server's own milliseconds and their parts from its Server-Timing header (app;dur=…, db;dur=…). */
  async getTimed<T>(p: string): Promise<{ body: T; server: ServerTime | null }> {
    const res = await fetch(`${this.base}${p}`, { headers: { cookie: this.cookie } });
    if (!res.ok) throw new HttpError(`GET ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`, res.status);
    const body = (await res.json()) as T;
    const metrics = new Map([...(res.headers.get('server-timing') ?? '').matchAll(/(\w+);dur=([\d.]+)/g)].map((m) => [m[1], Number(m[2])]));
    const app = metrics.get('app');
    metrics.delete('app');
    return { body, server: app === undefined ? null : { app, parts: Object.fromEntries(metrics) } };
  }

  /** Downloads p whole (counting its bytes and lines); resolves with them and the seconds it took. */
  async download(p: string): Promise<{ bytes: number; lines: number; seconds: number }> {
    const t = performance.now();
    const res = await fetch(`${this.base}${p}`, { headers: { cookie: this.cookie } });
    if (!res.ok || !res.body) throw new HttpError(`GET ${p}: ${res.status} ${(await res.text()).slice(0, 300)}`, res.status);
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.byteLength;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
    }
    return { bytes, lines, seconds: (performance.now() - t) / 1000 };
  }

  /** One refused upload (an empty body: 400 upload.empty, nothing stored, no job) to load the route. */
  async warmUpUploads(): Promise<void> {
    const res = await fetch(`${this.base}/api/uploads?kind=fix&filename=warm-up.log`, {
      method: 'POST',
      headers: { cookie: this.cookie, origin: this.base, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(0),
    });
    await res.text();
    if (res.status !== 400) throw new Error(`upload warm-up: expected 400 upload.empty, got ${res.status}`);
  }

  /** Streams the file as the request body; resolves with the upload response and its duration. */
  async upload(kind: 'fix' | 'confirmations', file: string): Promise<{ body: { job_ids: string[]; size_bytes: number }; seconds: number }> {
    const t = performance.now();
    const res = await fetch(`${this.base}/api/uploads?kind=${kind}&filename=${encodeURIComponent(path.basename(file))}`, {
      method: 'POST',
      headers: { cookie: this.cookie, origin: this.base, 'content-type': 'application/octet-stream' },
      body: Readable.toWeb(createReadStream(file, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>,
      duplex: 'half',
    } as RequestInit);
    const text = await res.text();
    const seconds = (performance.now() - t) / 1000;
    if (res.status !== 201) throw new Error(`upload of ${kind} failed: ${res.status} ${text.slice(0, 300)}`);
    return { body: JSON.parse(text) as { job_ids: string[]; size_bytes: number }, seconds };
  }
}

interface JobView {
  id: string;
  status: string;
  started_at: string | null;
  finished_at: string | null;
  created_at: string;
  metrics: Record<string, unknown> | null;
  manifest?: { byte_ranges?: { parts: number } } | null;
  error?: unknown;
  break_detection?: { state: string; pass?: BreakPassView | null } | null;
}

const FINAL = new Set(['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED']);

export async function benchEndToEnd(opts: BenchEndToEndOptions): Promise<BenchEndToEndResult> {
  const workers = opts.workers ?? os.availableParallelism();
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  return withBenchSandbox('workbench-bench-e2e-', async ({ tmp, start }) => {
    const orders = Math.max(1, Math.round(opts.messages / MESSAGES_PER_ORDER));
    let t = performance.now();
    const ds = await generateDataset({ orders, seed: 20240102, outDir: path.join(tmp, 'gen') });
    const fixBytes = statSync(ds.fixPath).size;
    const confBytes = statSync(ds.confirmationsPath).size;
    const messages = ds.stats.messages;
    log(`generated ${orders.toLocaleString('en-US')} orders: ${messages.toLocaleString('en-US')} messages (${(fixBytes / 1e6).toFixed(1)} MB) + ${(confBytes / 1e6).toFixed(1)} MB confirmations in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    const ceiling = await ceilingOf(ds.fixPath);
    if (ceiling.messages !== messages) throw new Error(`bench: the ceiling split ${ceiling.messages} messages, the generator wrote ${messages}`);
    const ceilingRate = Math.round(messages / ceiling.cpuSec);
    log(`ceiling (read + split into fields): ${ceilingRate.toLocaleString('en-US')} msgs per CPU-second`);

    const dataDir = path.join(tmp, 'data');
    await prepareDataDir(dataDir);
    t = performance.now();
    // A day of 10M messages is a 2.8 GB file, under the default upload limit (4 GiB); a larger
    // day gets room here, as an operator would give it (UPLOAD_MAX_BYTES).
    const biggest = Math.max(fixBytes, confBytes);
    const server = await start(dataDir, workers, log, biggest > DEFAULT_UPLOAD_MAX_BYTES && !process.env.UPLOAD_MAX_BYTES ? { UPLOAD_MAX_BYTES: String(biggest) } : {});
    const serverStartS = (performance.now() - t) / 1000;
    log(`server up in ${serverStartS.toFixed(1)} s (pid ${server.pid}, ${workers} workers)`);
    const sampler = new PeakSampler(server.pid);
    sampler.start();
    const client = new Client(server.base);
    await client.login();
    // The upload route's first request loads its module: done here, outside the measured upload.
    await client.warmUpUploads();

    const cpu0 = cpuSeconds(server.pid);
    const wall0 = Date.now();
    const t0 = performance.now();
    sampler.setOrigin(t0);
    const fixUpload = await client.upload('fix', ds.fixPath);
    const fixUploadedS = (performance.now() - t0) / 1000;
    const confUpload = await client.upload('confirmations', ds.confirmationsPath);
    const confUploadedS = (performance.now() - t0) / 1000;
    const fixMbPerS = fixBytes / 1e6 / fixUpload.seconds;
    log(`uploaded ${(fixBytes / 1e6).toFixed(1)} MB FIX in ${fixUpload.seconds.toFixed(2)} s (${fixMbPerS.toFixed(0)} MB/s), confirmations in ${confUpload.seconds.toFixed(2)} s`);

    const jobIds = [...fixUpload.body.job_ids, ...confUpload.body.job_ids];
    const until = Date.now() + (opts.timeoutMs ?? 30 * 60_000);
    let jobs: JobView[] = [];
    let lastLog = 0;
    // Polls answered 503 db.busy (a long pass holds the database's memory: lib/server/http/route.ts)
    // are counted and polled again, as the job page does; any other error ends the run.
    let busyPolls = 0;
    const stepsSeen = new Set<string>();
    for (;;) {
      try {
        jobs = await Promise.all(jobIds.map((id) => client.get<JobView>(`/api/jobs/${id}`)));
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 503)) throw e;
        busyPolls++;
        await sleep(1000);
        continue;
      }
      const passes = jobs.map((j) => j.break_detection?.pass ?? null);
      for (const p of passes) if (p?.step) stepsSeen.add(p.step);
      const failed = jobs.find((j) => j.status === 'FAILED');
      if (failed) throw new Error(`job ${failed.id} FAILED: ${JSON.stringify(failed.error)}`);
      if (jobs.every((j) => FINAL.has(j.status) && j.metrics && typeof j.metrics.breaks_detected_at === 'string')) break;
      if (Date.now() > until) throw new Error(`jobs not done in time: ${jobs.map((j) => `${j.id} ${j.status}`).join(', ')}`);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        const pass = passes.find((p) => p !== null);
        log(`  ${((performance.now() - t0) / 1000).toFixed(0)} s: ${jobs.map((j) => j.status).join(', ')}${pass ? `; breaks: ${describeBreakPass(pass)}` : ''}`);
      }
      await sleep(POLL_MS);
    }
    const cpu1 = cpuSeconds(server.pid);
    const at = (iso: unknown) => (typeof iso === 'string' ? Math.round(((Date.parse(iso) - wall0) / 1000) * 100) / 100 : null);
    const detectedAt = Math.max(...jobs.map((j) => Date.parse(String(j.metrics!.breaks_detected_at))));
    const endToEndS = (detectedAt - wall0) / 1000;
    const cpuS = cpu0 && cpu1 ? cpu1.own + cpu1.children - cpu0.own - cpu0.children : NaN;
    const fixJob = jobs[0];
    const byteRanges = fixJob.manifest?.byte_ranges?.parts ?? null;
    const timeline: Record<string, number | null> = {
      fix_uploaded: Math.round(fixUploadedS * 100) / 100,
      confirmations_uploaded: Math.round(confUploadedS * 100) / 100,
    };
    for (const [i, j] of jobs.entries()) {
      const name = i === 0 ? 'fix' : `confirmations${i > 1 ? i : ''}`;
      timeline[`${name}_started`] = at(j.started_at);
      timeline[`${name}_promoted`] = at(j.finished_at);
      timeline[`${name}_breaks_detected`] = at(j.metrics?.breaks_detected_at);
    }
    const workerPeaks = jobs.flatMap((j) => (Array.isArray(j.metrics?.workers) ? (j.metrics!.workers as { peak_rss_mb?: number | null }[]) : []).map((w) => w.peak_rss_mb ?? null));
    const endToEndRate = Math.round(messages / endToEndS);
    log(`end to end (first upload byte → breaks detected): ${endToEndS.toFixed(1)} s = ${endToEndRate.toLocaleString('en-US')} msgs/s; server + workers CPU ${cpuS.toFixed(1)} s; ${byteRanges ?? 1} byte range(s); ${busyPolls} job polls answered 503 db.busy`);

    // Latency over HTTP, same run, same database.
    let breaksFound: number | null = null;
    let breaksPage: LatencyStats | null = null;
    let drilldown: LatencyStats | null = null;
    let breaksPageAgain: LatencyStats | null = null;
    let drilldownAgain: LatencyStats | null = null;
    const pageCache = dirtyPageCacheMb();
    let storageRead: BenchEndToEndResult['server_storage_read_mb'] = null;
    try {
      const first = await client.get<{ items: { cl_ord_id: string | null }[]; counts?: Record<string, number> }>('/api/breaks');
      breaksFound = first.counts ? Object.values(first.counts).reduce((n, v) => n + Number(v), 0) : null;
      const ids = [...new Set(first.items.map((b) => b.cl_ord_id).filter((c): c is string => !!c))];
      const page = async () => (await client.getTimed('/api/breaks')).server;
      const drill = async (i: number) => (await client.getTimed(`/api/orders/${encodeURIComponent(ids[i % ids.length])}`)).server;
      // Right after the pass (the figures reported), then the same requests once more: the
      // second round shows what is left once the pass's after-effects (cold row groups, the
      // memory it held) are gone.
      const read0 = storageReadBytes(server.pid);
      breaksPage = await latency(LATENCY_REQUESTS, page, { sequence: true });
      if (ids.length > 0) drilldown = await latency(LATENCY_REQUESTS, drill, { sequence: true });
      const read1 = storageReadBytes(server.pid);
      breaksPageAgain = await latency(LATENCY_REQUESTS, page, { sequence: true });
      if (ids.length > 0) drilldownAgain = await latency(LATENCY_REQUESTS, drill, { sequence: true });
      const read2 = storageReadBytes(server.pid);
      if (read0 !== null && read1 !== null && read2 !== null) {
        const mb = (b: number) => Math.round((b / 1048576) * 10) / 10;
        storageRead = { first_round: mb(read1 - read0), second_round: mb(read2 - read1) };
      }
      log(`breaks ${breaksFound ?? '?'}; breaks page p95 ${breaksPage.p95_ms} ms (server ${breaksPage.server?.p95_ms ?? '–'}), drill-down p95 ${drilldown?.p95_ms ?? '–'} ms (server ${drilldown?.server?.p95_ms ?? '–'}; db ${drilldown?.server_parts?.db?.p95_ms ?? '–'}, raw ${drilldown?.server_parts?.raw?.p95_ms ?? '–'}) (HTTP, ${LATENCY_REQUESTS} requests each); second round ${breaksPageAgain.p95_ms} / ${drilldownAgain?.p95_ms ?? '–'} ms; read from storage ${storageRead ? `${storageRead.first_round} / ${storageRead.second_round} MB` : '–'}; page cache at the start: ${pageCache ? `${pageCache.dirty_mb} MB dirty, ${pageCache.writeback_mb} MB writeback` : '–'}`);
    } catch (e) {
      log(`latency not measured: ${(e as Error).message}`);
    }

    const serverPeak = peakRssMb(server.pid);
    const sampled = sampler.stop();
    let breaksExport: BenchEndToEndResult['breaks_export'] = null;
    try {
      const csv = await client.download('/api/breaks/export?format=csv');
      const parquet = await client.download('/api/breaks/export?format=parquet');
      const mb = (b: number) => Math.round(b / 1e5) / 10;
      const s2 = (x: number) => Math.round(x * 100) / 100;
      breaksExport = { csv_s: s2(csv.seconds), csv_mb: mb(csv.bytes), csv_rows: csv.lines - 1, parquet_s: s2(parquet.seconds), parquet_mb: mb(parquet.bytes) };
      log(`breaks export: CSV ${breaksExport.csv_rows} rows, ${breaksExport.csv_mb} MB in ${breaksExport.csv_s} s; Parquet ${breaksExport.parquet_mb} MB in ${breaksExport.parquet_s} s`);
    } catch (e) {
      log(`breaks export not measured: ${(e as Error).message}`);
    }
    const ratio = endToEndRate / (ceilingRate * workers);
    const result: BenchEndToEndResult = {
      messages,
      fix_bytes: fixBytes,
      confirmation_bytes: confBytes,
      workers,
      byte_ranges: byteRanges,
      ceiling_msgs_per_s: ceilingRate,
      ceiling_wall_msgs_per_s: Math.round(messages / ceiling.wallSec),
      end_to_end_s: Math.round(endToEndS * 100) / 100,
      end_to_end_msgs_per_s: endToEndRate,
      end_to_end_ratio: Math.round(ratio * 1000) / 1000,
      end_to_end_cpu_s: Math.round(cpuS * 10) / 10,
      end_to_end_msgs_per_cpu_s: Math.round(messages / cpuS),
      upload: {
        fix_mb: Math.round(fixBytes / 1e5) / 10,
        fix_s: Math.round(fixUpload.seconds * 100) / 100,
        fix_mb_per_s: Math.round(fixMbPerS),
        confirmations_mb: Math.round(confBytes / 1e5) / 10,
        confirmations_s: Math.round(confUpload.seconds * 100) / 100,
      },
      upload_mb_per_s: Math.round(fixMbPerS),
      timeline,
      jobs: jobs.map((j) => ({ id: j.id, status: j.status, metrics: j.metrics })),
      busy_polls: busyPolls,
      breaks_pass_steps_seen: [...stepsSeen],
      poll_ms: POLL_MS,
      breaks_found: breaksFound,
      breaks_page: breaksPage,
      drilldown,
      breaks_page_second_round: breaksPageAgain,
      drilldown_second_round: drilldownAgain,
      breaks_page_p95_ms: breaksPage?.p95_ms ?? null,
      drilldown_p95_ms: drilldown?.p95_ms ?? null,
      page_cache_at_latency: pageCache,
      breaks_export: breaksExport,
      server_storage_read_mb: storageRead,
      peak_rss_mb: { server: serverPeak, workers: workerPeaks, sampled },
      duckdb_allocator_conf: process.env.DUCKDB_JE_MALLOC_CONF ?? null,
      worker_duckdb_allocator_conf: workerEnv(process.env).DUCKDB_JE_MALLOC_CONF ?? null,
      server_start_s: Math.round(serverStartS * 10) / 10,
    };
    log(`ratio end to end / (ceiling × ${workers} workers): ${result.end_to_end_ratio} (target ≥ 0.5)`);
    const serverPeakAt = sampled.find((p) => p.pid === server.pid)?.peak_at_s;
    log(`peak RSS: server ${serverPeak} MB (sampled at ${serverPeakAt ?? '?'} s); workers ${workerPeaks.join(', ')} MB (self-reported)`);
    log(`timeline (s): ${Object.entries(timeline).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return result;
  });
}

/**
 * Runs `body` in a temp dir; a server it starts through `start` is stopped afterwards (its last
 * log lines printed when body fails), and the dir is removed.
 */
export async function withBenchSandbox<T>(
  prefix: string,
  body: (sandbox: {
    tmp: string;
    start: (dataDir: string, workers: number, log: (s: string) => void, extraEnv?: Record<string, string>) => Promise<Server>;
  }) => Promise<T>,
): Promise<T> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
  let server: Server | null = null;
  try {
    return await body({ tmp, start: async (dataDir, workers, log, extraEnv) => (server = await startServer(dataDir, workers, log, extraEnv)) });
  } catch (e) {
    const s = server as Server | null;
    if (s) console.error(`server log (last lines):\n${s.log.slice(-40).join('\n')}`);
    throw e;
  } finally {
    if (server) await stopServer(server);
    // BENCH_KEEP_DATA=1 keeps the temp dir (generated files, data dir) for a look afterwards.
    if (process.env.BENCH_KEEP_DATA === '1') console.error(`bench: kept ${tmp}`);
    else await rm(tmp, { recursive: true, force: true });
  }
}
