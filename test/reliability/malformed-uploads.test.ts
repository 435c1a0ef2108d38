// ≥ 1,000 malformed and hostile files over ≥ 25 classes (test/reliability/malformed-files.ts),
// each POSTed through the real upload route (withRoute → acceptUpload → handleUpload, a real
// DuckDB in a temp DATA_DIR): every refusal is the class's 4xx code in the error shape, never
// a 5xx. Accepted files are then run through the real parser + pipeline (runPipeline in a temp
// staging dir) from where the upload stored them, and each class's outcome is checked: a parse
// error code, an integrity counter, quarantined rows / a FAILED status with its reason.
// No unhandled rejection may occur anywhere in the run.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import { getParser } from '../../lib/parsers/registry';
import { runPipeline, type RunResult } from '../../worker/run-pipeline';
import { makeTempDir } from '../app/temp-db';
import { sampleRss } from './load-harness';
import { MALFORMED_CLASSES, malformedFiles, SUITE_LIMITS, type MalformedClass } from './malformed-files';
import { routeRequest } from '../support/route-request';

type Handler = (req: Request, ctx: unknown) => Promise<Response>;
const SEED = Number(process.env.MALFORMED_SEED ?? 20241126);
/** Accepted files per class that also go through the pipeline (the rest only through the upload). */
const PIPELINE_PER_CLASS = 2;
/**
 * Server memory bound (docs/reliability.md, "Load and memory"): this process is the server (the
 * upload route and the pipeline run in it); its RSS, sampled every 50 ms during the run, may
 * grow by at most this much over its RSS before the first file. The largest files are 12 MB
 * (the size limit), a 16 MB gzip bomb and 10 MB lines: a handler that buffered whole bodies
 * many times over, or a leak per file, would cross it.
 */
const RSS_GROWTH_BOUND_BYTES = 512 * 1024 * 1024;

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
let uploads: Handler;
let login: Handler;
let closeDb: () => Promise<void>;
let tempRoot = '';
let dataDir = '';
let cookie = '';

const req = routeRequest;

beforeAll(async () => {
  process.on('unhandledRejection', onUnhandled);
  tempRoot = makeTempDir('wb-malformed-');
  dataDir = path.join(tempRoot, 'data');
  process.env.DATA_DIR = dataDir;
  process.env.WORKBENCH_DEMO_PASSWORD = 'malformed-pw';
  process.env.UPLOAD_MAX_BYTES = String(SUITE_LIMITS.maxBytes);
  process.env.UPLOAD_MAX_DECOMPRESSED_BYTES = String(SUITE_LIMITS.maxDecompressedBytes);
  const open = await import('../../db/open');
  closeDb = open.closeDb;
  const { ensureInitialUsers } = await import('../../lib/server/auth/initial-users');
  await ensureInitialUsers(await open.getDb(), process.env, () => undefined);
  login = (await import('../../app/api/auth/login/route')).POST as Handler;
  uploads = (await import('../../app/api/uploads/route')).POST as Handler;
  const res = await login(req('/api/auth/login', { method: 'POST', body: JSON.stringify({ username: 'ops', password: 'malformed-pw' }) }), {});
  expect(res.status).toBe(200);
  cookie = res.headers.get('set-cookie')!.split(';')[0];
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onUnhandled);
  await closeDb?.();
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
});

function contractsFor(parserId: string) {
  const parser = getParser(parserId)!;
  return Object.fromEntries(parser.outputs.map((o) => [o.name, defaultContractFor(parser, o.name)]));
}

function checkPipeline(cls: MalformedClass, res: RunResult, what: string) {
  if (!('accepted' in cls.expect)) return;
  const e = cls.expect.accepted;
  const summary = res.parse_summary;
  expect(summary, what).not.toBeNull();
  for (const code of e.parseErrors ?? []) expect(summary!.parseErrors[code] ?? 0, `${what}: parse error ${code}`).toBeGreaterThan(0);
  const integrity = (summary!.details as { integrity?: Record<string, number> }).integrity ?? {};
  for (const k of e.integrity ?? []) expect(integrity[k] ?? 0, `${what}: integrity ${k}`).toBeGreaterThan(0);
  if (e.minMessages !== undefined) expect(summary!.messages, `${what}: messages read`).toBeGreaterThanOrEqual(e.minMessages);
  if (e.status) expect(e.status, `${what}: status ${res.status}`).toContain(res.status);
  const main = Object.values(res.outputs)[0];
  for (const v of e.violations ?? []) expect(main.violations[v] ?? 0, `${what}: violation ${v}`).toBeGreaterThan(0);
  // A FAILED job stages no output files; anything staged is listed in the manifest.
  if (res.status === 'FAILED') for (const o of Object.values(res.outputs)) expect(o.files, what).toEqual([]);
}

describe('malformed uploads', () => {
  it('has at least 25 classes and 1,000 files', () => {
    expect(MALFORMED_CLASSES.length).toBeGreaterThanOrEqual(25);
    expect(new Set(MALFORMED_CLASSES.map((c) => c.name)).size).toBe(MALFORMED_CLASSES.length);
    let n = 0;
    for (const _ of malformedFiles(SEED)) n++;
    expect(n).toBeGreaterThanOrEqual(1000);
  });

  it('is deterministic for a seed', () => {
    const first = (seed: number) => [...malformedFiles(seed, 0.05)].map((f) => f.bytes.subarray(0, 64).toString('hex') + f.filename).join('|');
    expect(first(7)).toBe(first(7));
    expect(first(7)).not.toBe(first(8));
  });

  it(
    'refuses each refused class with its code, accepts the others, never answers 5xx, and the pipeline gives each class its outcome',
    async () => {
      const statuses = new Map<number, number>();
      const perClass = new Map<string, { files: number; pipelined: number }>();
      const stagingRoot = path.join(tempRoot, 'staging');
      let k = 0;
      const rssBefore = process.memoryUsage.rss();
      const rss = sampleRss(50);
      for (const f of malformedFiles(SEED)) {
        const what = `${f.className} #${f.index} (seed ${SEED})`;
        const res = await uploads(
          req(`/api/uploads?kind=${f.kind}&filename=${encodeURIComponent(f.filename)}`, { method: 'POST', body: new Uint8Array(f.bytes), cookie }),
          {},
        );
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(res.status, what).toBeLessThan(500);
        const body = await res.json();
        const seen = perClass.get(f.className) ?? { files: 0, pipelined: 0 };
        seen.files++;
        perClass.set(f.className, seen);
        if ('refused' in f.cls.expect) {
          expect({ status: res.status, code: body.error?.code }, what).toEqual(f.cls.expect.refused);
          expect(JSON.stringify(body), what).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
          continue;
        }
        expect(res.status, `${what}: ${JSON.stringify(body)}`).toBe(201);
        expect(body.sha256).toMatch(/^[0-9a-f]{64}$/);
        // Content-addressed: whatever the file name said, the bytes live under data/uploads/<sha256>.
        const stored = path.join(dataDir, 'uploads', body.sha256);
        expect(existsSync(stored), what).toBe(true);
        if (seen.pipelined >= PIPELINE_PER_CLASS) continue;
        seen.pipelined++;
        const parserId = f.kind === 'fix' ? 'fix' : 'confirmations_csv';
        const run = await runPipeline({
          filePath: stored, parserId, contracts: contractsFor(parserId), jobId: `malformed-${k}`, stagingDir: path.join(stagingRoot, String(k++)),
        });
        checkPipeline(f.cls, run, what);
      }
      const rssMax = rss.stop().max;
      console.log(`[malformed] server RSS before ${(rssBefore / 2 ** 20).toFixed(0)} MiB, max ${(rssMax / 2 ** 20).toFixed(0)} MiB (growth bound ${RSS_GROWTH_BOUND_BYTES / 2 ** 20} MiB)`);
      expect(rssMax - rssBefore, 'server RSS growth during the malformed uploads').toBeLessThanOrEqual(RSS_GROWTH_BOUND_BYTES);
      // Every class was exercised, and every accepted class went through the pipeline.
      for (const cls of MALFORMED_CLASSES) {
        expect(perClass.get(cls.name)?.files, cls.name).toBeGreaterThan(0);
        if ('accepted' in cls.expect) expect(perClass.get(cls.name)?.pipelined, cls.name).toBeGreaterThan(0);
      }
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      // Nothing escaped the uploads directory: only content hashes (and the empty .incoming) in it.
      for (const name of readdirSync(path.join(dataDir, 'uploads'))) expect(name).toMatch(/^([0-9a-f]{64}|\.incoming)$/);
      expect(readdirSync(tempRoot).sort()).toEqual(['data', 'staging']);
      // A refused upload leaves nothing behind, not even an empty temp file (the store waits for
      // its write stream to close before removing the temp file).
      const incoming = path.join(dataDir, 'uploads', '.incoming');
      expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
    },
    180_000,
  );

  it('saw no unhandled rejection', async () => {
    await new Promise((r) => setImmediate(r));
    expect(unhandled.map(String)).toEqual([]);
  });
});
