// Parser Bench through its route handlers on a real DuckDB file in a temp dir: two confirmations
// uploads processed by the real dispatcher and workers (quarantine fixture), one more that really
// FAILS under the default policy, and one never run (queued while no dispatcher runs).
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadFilePath } from '../../lib/server/bench/bench-uploads';
import { HEADER, asRole, openQuarantineWorld, type QuarantineWorld } from '../quarantine/quarantine-fixture';
import { isFinal, uploadFile, waitForJob, type JobsEnv } from '../jobs/job-harness';
import type { BacktestState, BenchPreview, FileTestResult } from '../../lib/server/bench/bench-service';

let w: QuarantineWorld;
let env: JobsEnv;
let uploadFailed = '';
let uploadFailedSha = '';
let uploadNeverRun = '';
let approved: { contract_id: string; version: number };
let draft: { contract_id: string; version: number };

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

// Half of the rows have a quantity that is not a decimal: FAILED under the 10 % default policy.
const FILE_FAILS = [HEADER, ...[1, 2, 3, 4].flatMap((i) => [
  `EXF${i},ORDF${i},OIDF${i},AAPL,BUY,10,1.5,USD,2024-01-02,,2024-01-02T09:00:00Z,ACC9,BRKZ`,
  `EXF-BAD${i},ORDFB${i},OIDFB${i},AAPL,BUY,many,1.5,USD,2024-01-02,,2024-01-02T09:00:00Z,ACC9,BRKZ`,
])].join('\n') + '\n';
const FILE_NEW = [HEADER, 'EXN1,ORDN1,OIDN1,AAPL,SELL,5,2.25,USD,2024-01-03,,2024-01-03T09:00:00Z,ACC9,BRKZ'].join('\n') + '\n';

async function json<T>(res: Response, status = 200): Promise<T> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

async function untilFinished(id: string): Promise<BacktestState> {
  const { GET } = (await import('../../app/api/bench/backtests/[id]/route')) as { GET: Handler };
  for (;;) {
    const s = await json<BacktestState>(await GET(asRole(w.cookies.analyst, `/api/bench/backtests/${id}`), idParams(id)));
    if (s.status !== 'running') return s;
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * Writes `bytes` to the FIFO once the run has opened it for reading, then closes it (EOF). A
 * non-blocking open fails with ENXIO while no reader is there; it is retried until the run
 * reads or has ended without reading (a stop seen before its first file).
 */
async function feedWaitingReader(fifo: string, bytes: Buffer, runId: string): Promise<void> {
  for (;;) {
    let fd: number | null = null;
    try {
      fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENXIO') throw e;
    }
    if (fd !== null) {
      try {
        writeSync(fd, bytes); // a few hundred bytes: within the pipe's buffer
      } finally {
        closeSync(fd);
      }
      return;
    }
    const { GET } = (await import('../../app/api/bench/backtests/[id]/route')) as { GET: Handler };
    const s = await json<BacktestState>(await GET(asRole(w.cookies.analyst, `/api/bench/backtests/${runId}`), idParams(runId)));
    if (s.status !== 'running') return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(async () => {
  w = await openQuarantineWorld('wb-bench-');
  env = { root: w.root, dataDir: w.dataDir, dbFile: '', migrationsDir: '', db: w.db, reopen: async () => w.db, cleanup: async () => undefined };
  const { createDispatcher } = await import('../../lib/server/jobs/dispatcher');
  const dispatcher = await createDispatcher({ db: w.db, dataDir: w.dataDir, concurrency: 1, pollMs: 50 });
  await dispatcher.start();
  try {
    const f = await uploadFile(env, FILE_FAILS, { kind: 'confirmations', filename: 'fails.csv' });
    const job = await waitForJob(w.db, f.job_ids[0], isFinal);
    expect(job.status).toBe('FAILED');
    uploadFailed = f.upload_id;
    uploadFailedSha = f.sha256;
  } finally {
    await dispatcher.stop();
  }
  // No dispatcher now: this upload's job stays QUEUED (never run).
  uploadNeverRun = (await uploadFile(env, FILE_NEW, { kind: 'confirmations', filename: 'new.csv' })).upload_id;

  const { findApprovedContract } = await import('../../db/jobs/contract-queries');
  const { scopeId } = await import('../../lib/contracts');
  const { getParser } = await import('../../lib/parsers/registry');
  const parser = getParser('confirmations_csv')!;
  const found = (await findApprovedContract(w.db, scopeId(parser.id, parser.version, 'confirmations')))!;
  approved = { contract_id: found.contract_id, version: found.version };
  // A draft that also accepts side SHORT and allows at most 1 % of the rows in quarantine.
  const doc = structuredClone(found.document) as { columns: { name: string; type: unknown }[]; quarantine: Record<string, unknown> };
  doc.columns = doc.columns.map((c) => (c.name === 'side' ? { ...c, type: { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT', 'SHORT'] } } : c));
  doc.quarantine = { ...doc.quarantine, max_quarantine_pct: 1 };
  const { createDraft } = await import('../../lib/server/contracts/propose-contract');
  const created = await createDraft(w.db, { username: 'q_author' }, doc);
  draft = { contract_id: created.id, version: created.version };
}, 120_000);

afterAll(async () => {
  await w?.close();
});

describe('bench preview', () => {
  it('answers per output: first N rows, observed schema, diffs against intent and approved contract, parse errors', async () => {
    const { GET } = (await import('../../app/api/bench/preview/route')) as { GET: Handler };
    const url = `/api/bench/preview?parser_id=confirmations_csv&upload_id=${w.uploadA.id}&rows=5`;
    expect((await GET(asRole(null, url), noParams)).status).toBe(401);
    const p = await json<BenchPreview>(await GET(asRole(w.cookies.analyst, url), noParams));
    expect(p.parser.id).toBe('confirmations_csv');
    expect(p.outputs.map((o) => o.output)).toEqual(['confirmations']);
    const o = p.outputs[0];
    expect(o.rows).toHaveLength(5);
    expect(o.rows[0].exec_id).toBe('EXA1');
    expect(o.rows[0].quantity).toBe('100.5'); // exact text, never a number
    expect(o.observed.rows).toBe(5);
    expect(o.observed.columns.find((c) => c.name === 'quantity')?.type).toBe('decimal');
    expect(o.columns.slice(0, 3)).toEqual(['exec_id', 'cl_ord_id', 'order_id']);
    expect(o.diff_intent.type_mismatches).toEqual([]);
    expect(o.contract).toEqual(expect.objectContaining(approved));
    expect(o.diff_contract?.blocking).toBe(false);
    expect(p.parse_errors).toEqual([]);
    expect(p.truncated).toBe(true);
  });

  it('sees the bad quantity of the whole file as a type mismatch against the contract', async () => {
    const { GET } = (await import('../../app/api/bench/preview/route')) as { GET: Handler };
    const p = await json<BenchPreview>(await GET(asRole(w.cookies.author, `/api/bench/preview?parser_id=confirmations_csv&upload_id=${w.uploadA.id}&rows=1000`), noParams));
    const o = p.outputs[0];
    expect(o.rows).toHaveLength(33);
    expect(p.truncated).toBe(false);
    expect(o.diff_contract?.type_mismatches.map((t) => t.name)).toContain('quantity');
    expect(o.diff_contract?.blocking).toBe(true);
  });

  it('refuses an unknown upload with 404 and a missing parameter with 400', async () => {
    const { GET } = (await import('../../app/api/bench/preview/route')) as { GET: Handler };
    const missing = await GET(asRole(w.cookies.author, `/api/bench/preview?parser_id=confirmations_csv&upload_id=nope`), noParams);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('bench.unknown_upload');
    expect((await GET(asRole(w.cookies.author, `/api/bench/preview?parser_id=confirmations_csv`), noParams)).status).toBe(400);
  });
});

describe('bench quick test', () => {
  it('gives rows, quarantine % and top violations of a file under the approved contract', async () => {
    const { POST } = (await import('../../app/api/bench/test/route')) as { POST: Handler };
    const r = await json<FileTestResult>(await POST(asRole(w.cookies.author, '/api/bench/test', { method: 'POST', body: { upload_id: w.uploadA.id, ...approved } }), noParams));
    expect(r).toMatchObject({ rows: 33, valid_rows: 30, quarantine_rows: 3, quarantine_pct: '9.09', status: 'PARTIAL_SUCCESS', sampled: false });
    expect(r.top_violations[0]).toEqual({ column: 'side', violation_type: 'enum_invalid', count: 3 });
    expect(r.top_violations).toContainEqual({ column: 'quantity', violation_type: 'type_mismatch', count: 1 });
  });

  it('tests the same file against a draft: fewer rows quarantined, but over its stricter policy', async () => {
    const { POST } = (await import('../../app/api/bench/test/route')) as { POST: Handler };
    const r = await json<FileTestResult>(await POST(asRole(w.cookies.reviewer, '/api/bench/test', { method: 'POST', body: { upload_id: w.uploadA.id, ...draft } }), noParams));
    expect(r).toMatchObject({ rows: 33, quarantine_rows: 1, quarantine_pct: '3.03', status: 'FAILED', reason: 'quarantine_pct_exceeded' });
    expect(r.top_violations).toEqual([{ column: 'quantity', violation_type: 'type_mismatch', count: 1 }]);
  });

  it('caps the sample at max_rows', async () => {
    const { POST } = (await import('../../app/api/bench/test/route')) as { POST: Handler };
    const r = await json<FileTestResult>(await POST(asRole(w.cookies.author, '/api/bench/test', { method: 'POST', body: { upload_id: w.uploadA.id, ...approved, max_rows: 10 } }), noParams));
    expect(r).toMatchObject({ rows: 10, quarantine_rows: 0, quarantine_pct: '0.00', status: 'SUCCESS', sampled: true });
  });
});

describe('bench backtest', () => {
  it('runs every file of the kind, failed first, then never run, then passed, with a result per file', async () => {
    const { POST } = (await import('../../app/api/bench/backtests/route')) as { POST: Handler };
    const started = await json<BacktestState>(await POST(asRole(w.cookies.author, '/api/bench/backtests', { method: 'POST', body: approved }), noParams), 202);
    expect(started.files.map((f) => f.upload_id).slice(0, 2)).toEqual([uploadFailed, uploadNeverRun]);
    expect(started.files.map((f) => f.history)).toEqual(['failed', 'never_run', 'passed', 'passed']);
    expect(new Set(started.files.slice(2).map((f) => f.upload_id))).toEqual(new Set([w.uploadA.id, w.uploadB.id]));
    const done = await untilFinished(started.id);
    expect(done.status).toBe('done');
    expect(done.done).toBe(4);
    expect(done.results.map((r) => r.upload_id)).toEqual(started.files.map((f) => f.upload_id));
    const by = Object.fromEntries(done.results.map((r) => [r.upload_id, r]));
    expect(by[uploadFailed]).toMatchObject({ outcome: 'fail', result: { rows: 8, quarantine_rows: 4, quarantine_pct: '50.00' } });
    expect(by[uploadFailed].result?.top_violations).toEqual([{ column: 'quantity', violation_type: 'type_mismatch', count: 4 }]);
    expect(by[uploadNeverRun]).toMatchObject({ outcome: 'pass', result: { rows: 1, quarantine_rows: 0 } });
    expect(by[w.uploadA.id]).toMatchObject({ outcome: 'pass', result: { rows: 33, quarantine_pct: '9.09' } });
    expect(by[w.uploadB.id]).toMatchObject({ outcome: 'pass', result: { rows: 22, quarantine_rows: 2 } });
  });

  it('stops when asked: the run ends stopped before every file is tested', async () => {
    const { POST } = (await import('../../app/api/bench/backtests/route')) as { POST: Handler };
    const { POST: STOP } = (await import('../../app/api/bench/backtests/[id]/stop/route')) as { POST: Handler };
    // The run's first file (the failed upload) is swapped for a FIFO: opening it waits for a
    // writer, so the run is certainly still running when the stop arrives. Four small files
    // otherwise could all be tested before the stop request got through its session check.
    const file = uploadFilePath(w.dataDir, uploadFailedSha);
    const bytes = readFileSync(file);
    renameSync(file, `${file}.held`);
    execFileSync('mkfifo', [file]);
    try {
      const started = await json<BacktestState>(await POST(asRole(w.cookies.author, '/api/bench/backtests', { method: 'POST', body: draft }), noParams), 202);
      expect(started.files[0].upload_id).toBe(uploadFailed);
      const stopping = await json<BacktestState>(await STOP(asRole(w.cookies.analyst, `/api/bench/backtests/${started.id}/stop`, { method: 'POST' }), idParams(started.id)));
      expect(stopping.stop_requested).toBe(true);
      await feedWaitingReader(file, bytes, started.id);
      const end = await untilFinished(started.id);
      expect(end.status).toBe('stopped');
      expect(end.done).toBeLessThan(end.total);
      expect(end.results).toHaveLength(end.done);
    } finally {
      rmSync(file, { force: true });
      renameSync(`${file}.held`, file);
    }
  });

  it('answers 404 for an unknown run', async () => {
    const { GET } = (await import('../../app/api/bench/backtests/[id]/route')) as { GET: Handler };
    const res = await GET(asRole(w.cookies.author, '/api/bench/backtests/x'), idParams('00000000-0000-4000-8000-000000000000'));
    expect(res.status).toBe(404);
  });
});
