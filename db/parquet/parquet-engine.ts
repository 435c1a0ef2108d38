// The in-memory DuckDB that turns staged rows into Parquet files. Workers are stateless compute
// and never open data/workbench.duckdb (DESIGN.md, "Processes"); this instance holds no tables
// of its own, it only runs COPY statements, so it can live for the whole process.
// One instance per process, cached on globalThis: module reloads (tsx, vitest, Next dev) must
// not multiply native instances and their thread pools.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

const CACHE_KEY = Symbol.for('workbench.parquetEngine');

interface EngineCache {
  instance: Promise<DuckDBInstance>;
}

function engineCache(): EngineCache {
  const g = globalThis as unknown as Record<symbol, EngineCache | undefined>;
  let cache = g[CACHE_KEY];
  if (!cache) {
    const spillDir = path.join(os.tmpdir(), `workbench-parquet-spill-${process.pid}`);
    // DuckDB creates the directory only when it spills; it is private to this process.
    process.once('exit', () => rmSync(spillDir, { recursive: true, force: true }));
    cache = {
      instance: createEngine({
        // parquet is built in; nothing may be fetched or loaded implicitly.
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        // COPY streams CSV → Parquet, one at a time per process (worker/pipeline/output-run.ts);
        // this caps its reader buffers and row group in memory. DuckDB's CSV reader keeps read
        // buffers while memory is free, so the process's peak follows this limit, not the data.
        // On a 5M-row fix_order_events range (`npm run bench -- worker-memory`) the worker peaked
        // at 955–1,028 MiB with 512MB, 122,880-row groups and 64 MB read buffers; with buffers
        // bounded by the longest line and 69,632-row groups, at 806 MiB with 384MB and 733 with
        // 320MB. Row groups are now 122,880 rows again (promotion writes those in parallel:
        // parquet-sink.ts, rowGroupRowsFor): 896 MiB with 384MB, in the same time (65 s), and 570
        // with the workers' allocator setting (lib/server/jobs/worker-env.ts); with 320MB the
        // reader was starved of buffers and the range took 83–84 s instead of 65–68.
        memory_limit: process.env.WORKBENCH_PARQUET_MEMORY ?? '384MB',
        temp_directory: spillDir,
        // Rows keep file order in every Parquet file (lineage and result hashes rely on it).
        preserve_insertion_order: 'true',
        // One thread: each COPY runs on the thread that started it (no DuckDB worker pool). Measured
        // on a 1M-row fix_order_events COPY (2 cores): 4.6 – 5.8 s CPU with one thread against
        // 13.6 s with two (not profiled further), and the whole validate benchmark 14.2 s against
        // 23.6 s. CPU is what a worker costs a shared machine, where several workers (byte
        // ranges) run side by side. WORKBENCH_PARQUET_THREADS overrides it.
        threads: process.env.WORKBENCH_PARQUET_THREADS ?? '1',
      }),
    };
    g[CACHE_KEY] = cache;
    cache.instance.catch(() => {
      g[CACHE_KEY] = undefined;
    });
  }
  return cache;
}

async function createEngine(options: Record<string, string>): Promise<DuckDBInstance> {
  const instance = await DuckDBInstance.create(':memory:', options);
  const con = await instance.connect();
  try {
    // Instants are printed (and naive text read) in UTC whatever the host's zone.
    await con.run(`SET GLOBAL TimeZone = 'UTC'`);
  } finally {
    con.closeSync();
  }
  return instance;
}

/** Runs `fn` on a fresh connection of the process-wide engine; the connection is closed afterwards. */
export async function withParquetConnection<T>(fn: (con: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await engineCache().instance;
  const con = await instance.connect();
  try {
    return await fn(con);
  } finally {
    con.closeSync();
  }
}
