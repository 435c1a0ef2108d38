// A real DuckDB file in a temp data directory with the core and jobs migrations, the demo
// contracts seeded, and helpers to upload a file the way the upload route does and to wait
// for a job state by polling the database (no sleeps of fixed length decide anything).
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { openDatabase, type OpenDb } from '../../db/open';
import { getJob } from '../../db/jobs/job-queries';
import type { JobRow } from '../../db/jobs/job-row';
import { createDispatcher, type Dispatcher, type DispatcherOptions } from '../../lib/server/jobs/dispatcher';
import { enqueueJobsForUpload } from '../../lib/server/jobs/enqueue-jobs';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { handleUpload, type UploadResponse } from '../../lib/server/uploads/handle-upload';

export interface JobsEnv {
  root: string;
  dataDir: string;
  dbFile: string;
  migrationsDir: string;
  db: OpenDb;
  reopen(): Promise<OpenDb>;
  cleanup(): Promise<void>;
}

/**
 * Every migration of db/migrations, as the server applies them: promotion, break detection (run
 * after it: 006 added its tables) and claim (the quarantine settings cascade, 007) depend on them.
 */
const MIGRATIONS = readdirSync(path.join(process.cwd(), 'db', 'migrations')).filter((f) => /^\d{3}_.*\.sql$/.test(f)).sort();

export async function openJobsEnv(): Promise<JobsEnv> {
  const root = mkdtempSync(path.join(tmpdir(), 'wb-jobs-'));
  const dataDir = path.join(root, 'data');
  const migrationsDir = path.join(root, 'migrations');
  mkdirSync(migrationsDir, { recursive: true });
  for (const m of MIGRATIONS) copyFileSync(path.join(process.cwd(), 'db', 'migrations', m), path.join(migrationsDir, m));
  const dbFile = path.join(dataDir, 'workbench.duckdb');
  const env: JobsEnv = {
    root,
    dataDir,
    dbFile,
    migrationsDir,
    db: await openDatabase({ file: dbFile, dataDir, migrationsDir }),
    async reopen() {
      await env.db.close();
      env.db = await openDatabase({ file: dbFile, dataDir, migrationsDir });
      return env.db;
    },
    async cleanup() {
      await env.db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
  return env;
}

/** openJobsEnv with the parsers' default contracts approved, and a dispatcher over it (not started). */
export async function openDispatcherEnv(opts: Omit<DispatcherOptions, 'db' | 'dataDir'>): Promise<{ env: JobsEnv; dispatcher: Dispatcher }> {
  const env = await openJobsEnv();
  await seedDefaultContracts(env.db);
  return { env, dispatcher: await createDispatcher({ db: env.db, dataDir: env.dataDir, ...opts }) };
}

export async function uploadFile(
  env: JobsEnv,
  content: string | Buffer,
  opts: { kind: 'fix' | 'confirmations'; filename: string; actor?: string },
): Promise<UploadResponse> {
  const body = Readable.toWeb(Readable.from([Buffer.from(content)])) as ReadableStream<Uint8Array>;
  const req = new Request(`http://localhost/api/uploads?kind=${opts.kind}&filename=${encodeURIComponent(opts.filename)}`, {
    method: 'POST',
    body,
    duplex: 'half',
  } as RequestInit);
  return handleUpload(req, { username: opts.actor ?? 'ops', roles: ['ops'] } as never, {
    db: env.db,
    enqueueJobs: enqueueJobsForUpload,
    dataDir: env.dataDir,
  });
}

/** Polls the job row until `done` holds; fails with the last state seen after `timeoutMs`. */
export async function waitForJob(db: OpenDb, id: string, done: (job: JobRow) => boolean, timeoutMs = 45_000): Promise<JobRow> {
  const until = Date.now() + timeoutMs;
  let last: JobRow | null = null;
  while (Date.now() < until) {
    last = await getJob(db, id);
    if (last && done(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${id} did not reach the expected state; last: ${JSON.stringify(last && { status: last.status, attempts: last.attempts, error: last.error_code, msg: last.error_message })}`);
}

/**
 * Resolves at the dispatcher's next 'released' event for `jobId` (any job when omitted): the job
 * row turns final inside the release's transaction, and the staging files are moved or deleted
 * after it, so file checks wait for this. Subscribe before the release can happen.
 */
export function nextRelease(events: { on(event: string, fn: (e: { jobId: string }) => void): unknown }, jobId?: string): Promise<void> {
  return new Promise((resolve) => {
    events.on('released', (e) => {
      if (jobId === undefined || e.jobId === jobId) resolve();
    });
  });
}

export const isFinal = (j: JobRow) => j.status === 'SUCCESS' || j.status === 'PARTIAL_SUCCESS' || j.status === 'FAILED';
