// `npm run bench -- breaks [--messages N] [--quick] [--json]` (issue 5 "Benchmark", issue 9 (5)):
// generates a demo dataset (orders ≈ messages / 10, about 5 FIX messages per order, so
// `--messages 2000000` gives ≈ 1M FIX messages) in a temp dir and parses it with the worker's
// pipeline (default contracts) into Parquet, both in a child process (as upload + worker are
// separate from the server), then loads it into a FILE-backed DuckDB opened like the
// server opens it (db/open.ts openDatabase: hardened, migrated) with the promotion's own table
// and load functions, then measures:
// - detection: detectBreaks(db, { jobIds }) as the server's queue runs it after promotion;
// - server latency of the breaks page (GET /api/breaks: breaksPage() with default filters, first
//   page; and a ClOrdID prefix search) and of the drill-down (GET /api/orders/{clOrdId}:
//   orderDrillDown()), p50 / p95 / p99 over REQUESTS calls each. The service functions are called
//   directly against the database (no HTTP, no auth, no JSON serialisation of the response).
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { defaultContractFor } from '../lib/contracts/default-contract';
import { duckdbTypeOf } from '../lib/contracts/duckdb-type';
import { generateDataset } from '../lib/demo/generate-dataset';
import { getParser } from '../lib/parsers/registry';
import { breaksPage, orderDrillDown } from '../lib/server/breaks/breaks-service';
import { breakBrowserView } from '../lib/server/breaks/break-browser-service';
import { parseBreakBrowserQuery } from '../lib/server/breaks/break-browser-query';
import { detectBreaks } from '../db/breaks/detect-breaks';
import { insertValidRows } from '../db/jobs/load-parquet';
import { ensureTable, LINEAGE_COLUMNS } from '../db/jobs/warehouse-tables';
import { openDatabase, type OpenDb } from '../db/open';
import { runPipeline } from '../worker/run-pipeline';
import { runInChild } from './run-in-child';
import { latency, type LatencyStats } from './timed';

export interface BenchBreaksOptions {
  messages: number;
  json: boolean;
  /** Latency samples per request kind (default 200). */
  requests?: number;
  /** Detection passes over the same jobs (default 1); the figures are those of the last. */
  passes?: number;
  /** Dataset seed (default 20240102, the demo's). */
  seed?: number;
}

export interface BenchBreaksResult {
  messages: number;
  orders: number;
  fix_rows: number;
  confirmation_rows: number;
  generate_s: number;
  pipeline_s: number;
  load_s: number;
  detect_s: number;
  detect_cpu_s: number;
  detect_steps_ms: Record<string, number>;
  breaks_found: number;
  breaks_page: LatencyStats;
  breaks_prefix_search: LatencyStats;
  breaks_browser: LatencyStats;
  drilldown: LatencyStats;
  breaks_page_p95_ms: number;
  drilldown_p95_ms: number;
  /**
   * Peak RSS per process, as the product splits the work: `staging` = the child that generates
   * the data and runs the worker's pipeline; `server` = this process: the server's database
   * (promotion, detection, the page and drill-down queries).
   */
  peak_rss_mb: { staging: number; server: number };
  note: string;
}

const MESSAGES_PER_ORDER = 10;

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Parses one file with the parser's default contracts into stagingDir; valid Parquet per output. */
export async function stage(file: string, parserId: string, jobId: string, stagingDir: string): Promise<Record<string, string>> {
  const parser = getParser(parserId);
  if (!parser) throw new Error(`parser ${parserId} is not registered`);
  const contracts = Object.fromEntries(parser.outputs.map((o) => [o.name, defaultContractFor(parser, o.name)]));
  const result = await runPipeline({ filePath: file, parserId, parser, contracts, jobId, stagingDir });
  if (result.status === 'FAILED') throw new Error(`${file}: pipeline FAILED`);
  const out: Record<string, string> = {};
  for (const [name, o] of Object.entries(result.outputs)) {
    const valid = o.files.find((f) => f.endsWith('valid.parquet'));
    if (valid) out[name] = path.join(stagingDir, valid);
  }
  return out;
}

/** What promotion does to the warehouse for one job: table from the contract, valid rows loaded. */
export async function promote(db: OpenDb, parserId: string, files: Record<string, string>): Promise<number> {
  const parser = getParser(parserId)!;
  let rows = 0;
  await db.transaction(async (tx) => {
    for (const [output, file] of Object.entries(files)) {
      const contract = defaultContractFor(parser, output);
      await ensureTable(tx, output, [...contract.columns.map((c) => ({ name: c.name, sqlType: duckdbTypeOf(c.type) })), ...LINEAGE_COLUMNS]);
      rows += await insertValidRows(tx, output, file);
    }
  });
  return rows;
}

const CHILD_FLAG = '--bench-breaks-staging-child';

interface StagingResult {
  messages: number;
  generateS: number;
  pipelineS: number;
  fixFiles: Record<string, string>;
  confFiles: Record<string, string>;
  peakRssMb: number;
}

/** Generates the dataset and runs the pipeline over it (what upload + worker do), in this process. */
async function generateAndStage(orders: number, seed: number, tmp: string, dataDir: string, fixJob: string, confJob: string): Promise<StagingResult> {
  let t = performance.now();
  const ds = await generateDataset({ orders, seed, outDir: path.join(tmp, 'gen') });
  const generateS = (performance.now() - t) / 1000;
  t = performance.now();
  const fixFiles = await stage(ds.fixPath, 'fix', fixJob, path.join(dataDir, 'staging', fixJob));
  const confFiles = await stage(ds.confirmationsPath, 'confirmations_csv', confJob, path.join(dataDir, 'staging', confJob));
  const pipelineS = (performance.now() - t) / 1000;
  return { messages: ds.stats.messages, generateS, pipelineS, fixFiles, confFiles, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}

/** generateAndStage in a child process (same tsx loader), so each side's peak RSS is its own. */
function stagingChild(args: [number, number, string, string, string, string]): Promise<StagingResult> {
  return runInChild<StagingResult>(fileURLToPath(import.meta.url), [CHILD_FLAG, JSON.stringify(args)], 'bench breaks: staging child');
}

if (process.argv[2] === CHILD_FLAG && process.send) {
  const args = JSON.parse(process.argv[3]) as Parameters<typeof generateAndStage>;
  const r = await generateAndStage(...args);
  process.send(r, () => process.exit(0));
}

export async function benchBreaks(opts: BenchBreaksOptions): Promise<BenchBreaksResult> {
  const requests = opts.requests ?? 200;
  const orders = Math.max(1, Math.round(opts.messages / MESSAGES_PER_ORDER));
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'workbench-bench-breaks-'));
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  let db: OpenDb | null = null;
  try {
    const dataDir = path.join(tmp, 'data');
    await mkdir(dataDir, { recursive: true });
    const fixJob = `bench-fix-${randomUUID()}`;
    const confJob = `bench-conf-${randomUUID()}`;
    const staged = await stagingChild([orders, opts.seed ?? 20240102, tmp, dataDir, fixJob, confJob]);
    const { fixFiles, confFiles, generateS, pipelineS } = staged;
    log(`generated ${orders.toLocaleString('en-US')} orders, ${staged.messages.toLocaleString('en-US')} messages in ${generateS.toFixed(1)} s (child process, peak RSS ${staged.peakRssMb} MB)`);

    let t = performance.now();
    t = performance.now();
    db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir });
    const fixRows = await promote(db, 'fix', fixFiles);
    const confRows = await promote(db, 'confirmations_csv', confFiles);
    const loadS = (performance.now() - t) / 1000;
    log(`pipeline ${pipelineS.toFixed(1)} s, promoted ${fixRows.toLocaleString('en-US')} FIX rows + ${confRows.toLocaleString('en-US')} confirmations in ${loadS.toFixed(1)} s`);

    let steps: Record<string, number> = {};
    let detectS = 0;
    let detectCpu = 0;
    let detected: Awaited<ReturnType<typeof detectBreaks>> | null = null;
    // Pass 1: the first detection after promotion; pass 2 (when asked): the same jobs again, every
    // break already stored (refresh path: the UPDATEs a re-promotion causes).
    for (let pass = 1; pass <= (opts.passes ?? 1); pass++) {
      steps = {};
      t = performance.now();
      const cpu0 = cpuSeconds();
      detected = await detectBreaks(db, { jobIds: [fixJob, confJob], onStep: (s, ms) => (steps[s] = ms) });
      detectCpu = cpuSeconds() - cpu0;
      detectS = (performance.now() - t) / 1000;
      log(`detection pass ${pass}: ${detectS.toFixed(2)} s wall, ${detectCpu.toFixed(2)} s CPU (this process, all DuckDB threads): ${detected.found} breaks, ${detected.chains} chains; steps ${JSON.stringify(steps)}`);
    }

    // Drill-down targets: ClOrdIDs of chains that have a break (the pages analysts open), cycled.
    const ids = (await db.all<{ c: string }>(
      `SELECT cl_ord_id AS c FROM breaks WHERE cl_ord_id IS NOT NULL ORDER BY break_id LIMIT ?`, [requests],
    )).map((r) => r.c);
    if (ids.length === 0) ids.push(...(await db.all<{ c: string }>(`SELECT cl_ord_id AS c FROM order_chain_members LIMIT 1`)).map((r) => r.c));
    const prefixes = ids.map((c) => c.slice(0, Math.max(1, c.length - 3)));
    const d = db;
    const page = await latency(requests, () => breaksPage({ filters: {}, limit: 50 }, d));
    const prefix = await latency(requests, (i) => breaksPage({ filters: { clOrdId: prefixes[i % prefixes.length] }, limit: 50 }, d));
    // The /breaks page itself: sorted page + counts per class + ageing chart (default URL state).
    const browser = await latency(requests, () => breakBrowserView(parseBreakBrowserQuery({}), { db: d }));
    const drill = await latency(requests, (i) => orderDrillDown(ids[i % ids.length], d));
    const fmt = (n: string, s: LatencyStats) => `${n}: p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms, p99 ${s.p99_ms} ms (${s.requests} requests)`;
    log(fmt('breaks page (first page, default filters)', page));
    log(fmt('breaks page (ClOrdID prefix search)', prefix));
    log(fmt('/breaks browser view (page + counts + ageing)', browser));
    log(fmt('drill-down /api/orders/{clOrdId}', drill));
    log(`peak RSS: staging child ${staged.peakRssMb} MB, this process (server database) ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
    return {
      messages: staged.messages, orders, fix_rows: fixRows, confirmation_rows: confRows,
      generate_s: round(generateS), pipeline_s: round(pipelineS), load_s: round(loadS), detect_s: round(detectS), detect_cpu_s: round(detectCpu),
      detect_steps_ms: steps, breaks_found: detected!.found,
      breaks_page: page, breaks_prefix_search: prefix, breaks_browser: browser, drilldown: drill,
      breaks_page_p95_ms: Math.max(page.p95_ms, prefix.p95_ms, browser.p95_ms), drilldown_p95_ms: drill.p95_ms,
      peak_rss_mb: { staging: staged.peakRssMb, server: Math.round(process.resourceUsage().maxRSS / 1024) },
      note: 'latency = service functions (breaksPage, orderDrillDown) called directly on the file-backed DuckDB; no HTTP, auth or JSON',
    };
  } finally {
    await db?.close().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
