// The environment a worker process starts with: the server's, with DuckDB's allocator set to
// give freed pages back at once, unless the operator chose an allocator setting themselves.
//
// Why (issue 9, "every process ≤ 1 GiB"): a worker's DuckDB only runs the streaming COPY of
// staged text into Parquet, which frees and allocates its row group's memory over and over.
// With jemalloc's compiled-in decay (1 s) the freed pages stay resident beside what DuckDB
// counts: one 5M-message FIX range (`npm run bench -- worker-memory --messages 5000000`) peaked
// at 866–896 MiB, and at 570–627 MiB with decay 0; its run took 3–9 % longer (66–71 s against
// 63–65). jemalloc reads DUCKDB_JE_MALLOC_CONF when libduckdb loads, so it has to be in the
// environment the process starts with (test/reliability/duckdb-allocator-env.test.ts checks the
// pinned build reads it).
// The server keeps DuckDB's default: there the decay costs 22–45 % more detection time
// (docs/performance.md, "Memory of the server").

/** jemalloc's options for worker processes when DUCKDB_JE_MALLOC_CONF is not set. */
export const WORKER_DUCKDB_ALLOCATOR_CONF = 'dirty_decay_ms:0,muzzy_decay_ms:0';

/** `base` plus the workers' allocator setting; an operator's DUCKDB_JE_MALLOC_CONF is kept as it is. */
export function workerEnv<E extends Readonly<Record<string, string | undefined>>>(base: E): E {
  if (base.DUCKDB_JE_MALLOC_CONF !== undefined) return { ...base };
  return { ...base, DUCKDB_JE_MALLOC_CONF: WORKER_DUCKDB_ALLOCATOR_CONF };
}
