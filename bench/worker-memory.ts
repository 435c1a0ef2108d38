// `npm run bench -- worker-memory [--messages N] [--json]` (issue 9, "every process ≤ 1 GiB"):
// the peak RSS of a FIX byte-range worker, and where it comes from. Generates a demo dataset of
// about N FIX messages (`--messages 5000000` is one of the two byte ranges of a 10M upload) and runs the
// worker's pipeline on the whole file as a range part (partOfJob: row digests written, as
// worker/main.ts runs a range) in a child process of its own, so its peak is its own.
//
// Reported: the child's peak RSS (VmHWM), its peak while parsing and validating (before the
// first COPY), and the largest amounts DuckDB's Parquet engine held per tag (duckdb_memory(),
// sampled every second: CSV_READER = read buffers, COLUMN_DATA = the row group being filled,
// ALLOCATOR = the Parquet writer's pages). The sample misses short peaks: VmHWM is the figure.
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultContractFor } from '../lib/contracts/default-contract';
import { generateDataset } from '../lib/demo/generate-dataset';
import { fixParser } from '../lib/fix/index';
import { withParquetConnection } from '../db/parquet/parquet-engine';
import { runPipeline } from '../worker/run-pipeline';
import { peakRssMb } from './end-to-end-processes';
import { runInChild } from './run-in-child';
import { workerEnv, workerExecArgv } from '../lib/server/jobs/worker-env';

export interface WorkerMemoryResult {
  messages: number;
  fix_mb: number;
  valid_rows: number;
  run_s: number;
  /** The worker's peak RSS (VmHWM), MiB. */
  peak_rss_mb: number;
  /** Peak RSS sampled before the first Parquet COPY (parse, validate, staging), MiB. */
  peak_rss_before_copy_mb: number;
  /** Largest memory per duckdb_memory() tag seen while the Parquet engine held > 1 MiB, MiB. */
  parquet_engine_mb: Record<string, number>;
  parquet_memory_limit: string;
  /** DUCKDB_JE_MALLOC_CONF the child ran with (what the dispatcher gives a worker; null: jemalloc's own). */
  duckdb_allocator_conf: string | null;
}

const CHILD_FLAG = '--bench-worker-memory-child';
const MESSAGES_PER_ORDER = 5;
const MiB = 1 << 20;

/** The child: one pipeline run as a byte-range part, with its memory sampled. */
async function runChild(fixPath: string, stagingDir: string): Promise<Omit<WorkerMemoryResult, 'messages' | 'fix_mb'>> {
  let copying = false;
  let beforeCopy = 0;
  const engine: Record<string, number> = {};
  let sampling = false;
  const t0 = performance.now();
  const timer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    const rss = process.memoryUsage().rss;
    void withParquetConnection(async (con) => {
      const rows = (await con.runAndReadAll(`SELECT tag, memory_usage_bytes::BIGINT AS b FROM duckdb_memory() WHERE memory_usage_bytes > ${MiB}`)).getRowObjectsJS();
      // Before the first COPY: the engine has held nothing yet (checked after the RSS sample).
      if (rows.length > 0) copying = true;
      else if (!copying) beforeCopy = Math.max(beforeCopy, rss);
      for (const r of rows) engine[String(r.tag)] = Math.max(engine[String(r.tag)] ?? 0, Math.round(Number(r.b) / MiB));
    }).finally(() => (sampling = false));
  }, 1000);
  try {
    const contracts = Object.fromEntries(fixParser.outputs.map((o) => [o.name, defaultContractFor(fixParser, o.name)]));
    const result = await runPipeline({
      filePath: fixPath, parserId: 'fix', parser: fixParser, contracts, stagingDir, partOfJob: true,
      jobId: '00000000-0000-4000-8000-000000000000', sourceHash: '0'.repeat(64),
    });
    if (result.status === 'FAILED') throw new Error(`bench worker-memory: the run FAILED: ${JSON.stringify(result.problems)}`);
    return {
      valid_rows: result.outputs.fix_order_events?.rows ?? 0,
      run_s: Math.round((performance.now() - t0) / 100) / 10,
      peak_rss_mb: peakRssMb(process.pid) ?? Math.round(process.resourceUsage().maxRSS / 1024),
      peak_rss_before_copy_mb: Math.round(beforeCopy / MiB),
      parquet_engine_mb: engine,
      parquet_memory_limit: process.env.WORKBENCH_PARQUET_MEMORY ?? 'default',
      duckdb_allocator_conf: process.env.DUCKDB_JE_MALLOC_CONF ?? null,
    };
  } finally {
    clearInterval(timer);
  }
}

if (process.argv[2] === CHILD_FLAG && process.send) {
  const r = await runChild(process.argv[3], process.argv[4]);
  process.send(r, () => process.exit(0));
}

export async function benchWorkerMemory(opts: { messages: number; json: boolean }): Promise<WorkerMemoryResult> {
  const log = (s: string) => {
    if (!opts.json) console.log(s);
  };
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'workbench-bench-worker-memory-'));
  try {
    const orders = Math.max(1, Math.round(opts.messages / MESSAGES_PER_ORDER));
    const ds = await generateDataset({ orders, seed: 20240102, outDir: path.join(tmp, 'gen') });
    const fixMb = Math.round(statSync(ds.fixPath).size / 1e6);
    log(`generated ${ds.stats.messages.toLocaleString('en-US')} FIX messages (${fixMb} MB)`);
    const child = await runInChild<Omit<WorkerMemoryResult, 'messages' | 'fix_mb'>>(
      fileURLToPath(import.meta.url),
      [CHILD_FLAG, ds.fixPath, path.join(tmp, 'staging')],
      'bench worker-memory: child',
      // The environment and young generation the dispatcher gives a worker (both move the peak).
      workerEnv(process.env),
      workerExecArgv(process.env).filter((a) => a.startsWith('--max-semi-space-size')),
    );
    const r: WorkerMemoryResult = { messages: ds.stats.messages, fix_mb: fixMb, ...child };
    log(`worker run ${r.run_s} s, ${r.valid_rows.toLocaleString('en-US')} valid order events; peak RSS ${r.peak_rss_mb} MiB (${r.peak_rss_before_copy_mb} MiB before the Parquet COPY); Parquet engine (limit ${r.parquet_memory_limit}): ${Object.entries(r.parquet_engine_mb).map(([k, v]) => `${k} ${v}`).join(', ')} MiB`);
    return r;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}
