// Support for the crash-loop and fault-point tests: a template data directory holding one QUEUED
// 200k-message FIX job (made once per test file), a fresh copy of its database per iteration,
// the server process (crash-host.ts) started and killed for real, and the checks every iteration
// makes on what is visible. Real processes, real DuckDB files in temp dirs; waits poll state.
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { copyFileSync, createReadStream, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { openDatabase, type OpenDb } from '../../db/open';
import { generateDataset } from '../../lib/demo/generate-dataset';
import { ensureInitialUsers } from '../../lib/server/auth/initial-users';
import { enqueueJobsForUpload } from '../../lib/server/jobs/enqueue-jobs';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { handleUpload } from '../../lib/server/uploads/handle-upload';
import { visibleOutput, type Query, type Visible } from './crash-visible';

export { visibleOutput, type Query, type Visible };

/** Demo orders giving ≈ 200k FIX messages (≈ 5 per order), the job size issue 10 names. */
export const CRASH_ORDERS = 39_400;
const HOST = path.join(process.cwd(), 'test', 'reliability', 'crash-host.ts');

export interface Template {
  root: string;
  /** The template's database file (a QUEUED job, contracts approved); copied per iteration. */
  dbFile: string;
  jobId: string;
  messages: number;
}

/**
 * A database with one QUEUED FIX job: by default the demo generator's ≈ 200k-message file
 * (`orders`, `seed`), or the given `fixFile`. The upload stays in the template (read only).
 */
export async function makeTemplate(opts: { orders?: number; seed?: number; fixFile?: string } = {}): Promise<Template> {
  const root = mkdtempSync(path.join(tmpdir(), 'wb-crash-'));
  const ds = opts.fixFile
    ? { fixPath: opts.fixFile, stats: { messages: -1 } }
    : await generateDataset({ orders: opts.orders ?? CRASH_ORDERS, seed: opts.seed ?? 10_2024, outDir: path.join(root, 'dataset') });
  const dataDir = path.join(root, 'template');
  const dbFile = path.join(dataDir, 'workbench.duckdb');
  const db = await openDatabase({ file: dbFile, dataDir });
  try {
    await ensureInitialUsers(db, { WORKBENCH_DEMO: '1' }, () => undefined);
    await seedDefaultContracts(db);
    const body = Readable.toWeb(createReadStream(ds.fixPath)) as ReadableStream<Uint8Array>;
    const req = new Request('http://localhost/api/uploads?kind=fix&filename=crash-loop.fix', { method: 'POST', body, duplex: 'half' } as RequestInit);
    const up = await handleUpload(req, { username: 'ops', roles: ['ops'] } as never, { db, enqueueJobs: enqueueJobsForUpload, dataDir });
    rmSync(path.join(root, 'dataset'), { recursive: true, force: true });
    return { root, dbFile, jobId: up.job_ids[0], messages: ds.stats.messages };
  } finally {
    await db.close();
  }
}

/** A fresh data directory holding a copy of the template's database (the job QUEUED again). */
export function freshDataDir(t: Template, name: string): string {
  const dataDir = path.join(t.root, name);
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  copyFileSync(t.dbFile, path.join(dataDir, 'workbench.duckdb'));
  return dataDir;
}

export interface HostEvent {
  event: string;
  data?: Record<string, unknown>;
}

/** The server process (crash-host.ts). */
export class Host {
  readonly events = new EventEmitter();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;
  private nextId = 1;
  workerPids: number[] = [];
  released: Record<string, unknown>[] = [];

  constructor(dataDir: string, env: Record<string, string> = {}) {
    this.child = fork(HOST, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        WORKBENCH_DEMO: '0',
        WORKER_CONCURRENCY: '1',
        DISPATCH_POLL_MS: '100',
        JOB_RETRY_BASE_MS: '50',
        ...env,
      },
    });
    this.child.on('message', (m: HostEvent) => {
      if (m.event === 'spawned') this.workerPids.push(Number(m.data?.pid));
      if (m.event === 'released') this.released.push(m.data ?? {});
      this.events.emit(m.event, m.data ?? m);
    });
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Resolves on the next `event` (or fails if the process exits first). */
  next(event: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const on = (d: Record<string, unknown>) => {
        this.events.off('__exit', onExit);
        resolve(d);
      };
      const onExit = () => {
        this.events.off(event, on);
        reject(new Error(`the server exited before '${event}'`));
      };
      this.events.once(event, on);
      this.events.once('__exit', onExit);
      void this.exited.then(() => this.events.emit('__exit'));
    });
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const on = (m: HostEvent & { id?: number; rows?: T[]; error?: string }) => {
        if (m.event !== 'query' || m.id !== id) return;
        this.child.off('message', on);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.rows ?? []);
      };
      this.child.on('message', on);
      this.child.send({ type: 'query', id, sql, params });
    });
  }

  /** What a reader sees of the job, read by the server in one snapshot (one read transaction). */
  visible(jobId: string): Promise<Visible> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const on = (m: HostEvent & { id?: number; visible?: Visible; error?: string }) => {
        if (m.event !== 'visible' || m.id !== id) return;
        this.child.off('message', on);
        if (m.error !== undefined) reject(new Error(m.error));
        else resolve(m.visible!);
      };
      this.child.on('message', on);
      this.child.send({ type: 'visible', id, jobId });
    });
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.send({ type: 'stop' });
    await this.exited;
  }
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 120_000, everyMs = 25): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export const dbQuery = (db: OpenDb): Query => (sql, params) => db.all(sql, params);

/** Every file under dir (relative paths). */
export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * Files outside staging that would be partial output: any temporary or staged-text file, or a
 * Parquet file of size 0. (Whole-file validity of warehouse Parquet is checked against the
 * database by `warehouseMatchesDatabase`.)
 */
export function partialFilesOutsideStaging(dataDir: string): string[] {
  return filesUnder(dataDir).filter((f) => {
    // Staging is private to an attempt; uploads and the database's own files (WAL, spill) are not output.
    if (f.startsWith(`staging${path.sep}`) || f.startsWith(`uploads${path.sep}`) || f.startsWith('workbench.duckdb')) return false;
    if (/\.tmp$|\.partial|\.staged/.test(f)) return true;
    return f.endsWith('.parquet') && statSync(path.join(dataDir, f)).size === 0;
  });
}

export interface JobOutcome {
  status: string;
  errorCode: string | null;
  /** result_hash per data output. */
  hashes: Record<string, string | null>;
  /** Visible rows of the job per table (valid, quarantine, parse_errors). */
  rows: Record<string, number>;
  attempts: [number, string | null, string | null][];
}

/** The job's end state as a reader of the database sees it. */
export async function jobOutcome(q: Query, jobId: string): Promise<JobOutcome> {
  const job = await q<{ status: string; error_code: string | null }>(`SELECT status, error_code FROM jobs WHERE id = ?`, [jobId]);
  const outs = await q<{ output: string; result_hash: string | null }>(
    `SELECT output, result_hash FROM job_outputs WHERE job_id = ? AND kind = 'data' ORDER BY output`, [jobId]);
  const attempts = await q<{ attempt: number; outcome: string | null; error_code: string | null }>(
    `SELECT attempt, outcome, error_code FROM job_attempts WHERE job_id = ? ORDER BY attempt`, [jobId]);
  const rows = (await visibleOutput(q, jobId)).rows;
  return {
    status: job[0]?.status ?? 'missing',
    errorCode: job[0]?.error_code ?? null,
    hashes: Object.fromEntries(outs.map((o) => [o.output, o.result_hash])),
    rows,
    attempts: attempts.map((a) => [Number(a.attempt), a.outcome, a.error_code]),
  };
}

/** All-or-nothing: the job's rows are either absent from every table or all there (equal to the reference). */
export function isAllOrNothing(v: Visible, complete: Record<string, number>): boolean {
  const tables = Object.keys(complete).filter((t) => t in v.rows || complete[t] > 0);
  const none = tables.every((t) => (v.rows[t] ?? 0) === 0) && !v.promoted;
  const all = tables.every((t) => (v.rows[t] ?? 0) === complete[t]) && v.promoted;
  return none || all;
}

/**
 * Problems with the warehouse files of a job, read on a database opened by the test: every
 * Parquet file under warehouse/<output>/job=<id>/ must be whole (readable, same row count as
 * the table holds for the job). With `complete`, every file job_outputs lists must be there too.
 */
export async function warehouseProblems(db: OpenDb, dataDir: string, jobId: string, complete: boolean): Promise<string[]> {
  const problems: string[] = [];
  const listed = await db.all<{ output: string; files: string | null }>(`SELECT output, files FROM job_outputs WHERE job_id = ? AND promoted`, [jobId]);
  const tableOf = (output: string, file: string) =>
    file.endsWith('quarantine.parquet') ? `${output}_quarantine` : file.endsWith('errors.parquet') ? 'parse_errors' : output;
  for (const o of listed) {
    for (const rel of JSON.parse(o.files ?? '[]') as string[]) {
      const file = path.join(dataDir, rel);
      if (!existsSync(file)) {
        if (complete) problems.push(`missing ${rel}`);
        continue;
      }
      try {
        const n = await db.all<{ n: string }>(`SELECT count(*) AS n FROM read_parquet(?)`, [file]);
        const table = tableOf(o.output, rel);
        const col = table === 'parse_errors' ? 'job_id' : '_cf_job_id';
        const inDb = await db.all<{ n: string }>(`SELECT count(*) AS n FROM "${table}" WHERE ${col} = ?`, [jobId]);
        if (n[0].n !== inDb[0].n) problems.push(`${rel}: ${n[0].n} rows in the file, ${inDb[0].n} in ${table}`);
      } catch (e) {
        problems.push(`${rel} does not read: ${(e as Error).message}`);
      }
    }
  }
  const warehouse = path.join(dataDir, 'warehouse');
  const unlisted = filesUnder(warehouse).filter((f) => f.includes(`job=${jobId}`) && !listed.some((o) => (JSON.parse(o.files ?? '[]') as string[]).some((x) => x.endsWith(f.split(path.sep).join('/')))));
  for (const f of unlisted) if (!f.endsWith('manifest.json')) problems.push(`unlisted warehouse file ${f}`);
  return problems;
}

/** A small seeded PRNG (mulberry32): the kill points of a run are replayed from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export function openDataDir(dataDir: string): Promise<OpenDb> {
  return openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir });
}

export const FINAL_STATUSES = ['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED'];

/** Waits for the job to be final and its staging directory gone; every poll checks all-or-nothing visibility. */
export async function runToEnd(host: Host, dataDir: string, jobId: string, complete: Record<string, number>, seen: string[]): Promise<void> {
  const staging = path.join(dataDir, 'staging', jobId);
  await until(async () => {
    const v = await host.visible(jobId);
    if (!isAllOrNothing(v, complete)) seen.push(JSON.stringify(v));
    return FINAL_STATUSES.includes(v.status) && !existsSync(staging);
  }, 'the job to end', 600_000, 150);
}

/**
 * runToEnd on `host`, which is killed afterwards (its break detection is not needed) whatever
 * happens; returns the non all-or-nothing states seen while it ran.
 */
export async function runHostToEnd(host: Host, dataDir: string, jobId: string, complete: Record<string, number>): Promise<string[]> {
  const seen: string[] = [];
  try {
    await runToEnd(host, dataDir, jobId, complete, seen);
  } finally {
    host.kill();
    await host.exited;
  }
  return seen;
}

/** The server's first run of a QUEUED job, without faults: the reference outcome and its timeline. */
export async function cleanRun(t: Template, name = 'clean'): Promise<{ outcome: JobOutcome; spawnedMs: number; releasedMs: number }> {
  const dataDir = freshDataDir(t, name);
  const started = Date.now();
  const host = new Host(dataDir);
  try {
    const spawned = host.next('spawned').then(() => Date.now() - started);
    await until(async () => {
      const v = await host.visible(t.jobId);
      return FINAL_STATUSES.includes(v.status) && !existsSync(path.join(dataDir, 'staging', t.jobId));
    }, 'the clean run to end', 600_000, 150);
    const releasedMs = Date.now() - started;
    host.kill(); // break detection of the run is not needed
    await host.exited;
    const db = await openDataDir(dataDir);
    try {
      return { outcome: await jobOutcome((sql, params) => db.all(sql, params), t.jobId), spawnedMs: await spawned, releasedMs };
    } finally {
      await db.close();
    }
  } finally {
    host.kill();
    await host.exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The checks at the end of every crash scenario, on the database reopened by the test once the
 * server is gone: same status, result_hash per output and rows as the clean run (or FAILED with
 * one of `stableCodes`), every warehouse file whole and listed, staging empty, nothing partial.
 */
export async function checkEnd(dataDir: string, jobId: string, clean: JobOutcome, label: string, stableCodes: string[]): Promise<JobOutcome> {
  const db = await openDataDir(dataDir); // the database reopens
  try {
    const end = await jobOutcome((sql, params) => db.all(sql, params), jobId);
    if (end.status === 'FAILED') expect(stableCodes, label).toContain(end.errorCode);
    else {
      expect(end.status, label).toBe(clean.status);
      expect(end.hashes, label).toEqual(clean.hashes);
      expect(end.rows, label).toEqual(clean.rows);
    }
    expect(await warehouseProblems(db, dataDir, jobId, true), label).toEqual([]);
    expect(readdirSync(path.join(dataDir, 'staging')), label).toEqual([]);
    expect(partialFilesOutsideStaging(dataDir), label).toEqual([]);
    return end;
  } finally {
    await db.close();
  }
}
