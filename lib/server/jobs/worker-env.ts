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
//
// Workers also start with a larger young generation for V8 (--max-semi-space-size, 64 MiB per
// semi-space unless WORKER_MAX_SEMI_SPACE_MB says otherwise). Why: a worker allocates a few
// short-lived strings and buffers per row, and with V8's default (16 MiB) its scavenges were
// about 9 % of its JavaScript time. Measured alone on the 1M benchmark's files (docs/performance.md,
// "Workers with a larger young generation"): a FIX range of 497k messages 7.8 → 6.9 CPU-s, the
// confirmations file 3.4 → 2.9; peak RSS +40 and +100 MiB.

/** jemalloc's options for worker processes when DUCKDB_JE_MALLOC_CONF is not set. */
export const WORKER_DUCKDB_ALLOCATOR_CONF = 'dirty_decay_ms:0,muzzy_decay_ms:0';

/** `base` plus the workers' allocator setting; an operator's DUCKDB_JE_MALLOC_CONF is kept as it is. */
export function workerEnv<E extends Readonly<Record<string, string | undefined>>>(base: E): E {
  if (base.DUCKDB_JE_MALLOC_CONF !== undefined) return { ...base };
  return { ...base, DUCKDB_JE_MALLOC_CONF: WORKER_DUCKDB_ALLOCATOR_CONF };
}

/** V8's semi-space size of a worker, in MiB, when WORKER_MAX_SEMI_SPACE_MB is not set. */
export const WORKER_MAX_SEMI_SPACE_MB = 64;

/**
 * The node flags a worker process starts with: tsx when it runs the TypeScript sources (not for
 * the prebuilt bundle, worker-bundle.ts) and the young generation's size.
 * WORKER_MAX_SEMI_SPACE_MB = 0 leaves V8's default; a value that is not a whole number of MiB is
 * ignored (the default applies).
 */
export function workerExecArgv(base: Readonly<Record<string, string | undefined>>, opts: { bundle?: boolean } = {}): string[] {
  const mb = semiSpaceMb(base.WORKER_MAX_SEMI_SPACE_MB);
  return [...(opts.bundle ? [] : ['--import', 'tsx']), ...(mb > 0 ? [`--max-semi-space-size=${mb}`] : [])];
}

function semiSpaceMb(v: string | undefined): number {
  if (v === undefined || v.trim() === '') return WORKER_MAX_SEMI_SPACE_MB;
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 && n <= 1024 ? n : WORKER_MAX_SEMI_SPACE_MB;
}

/** The semi-space size (MiB) given to this process on its command line; null when none was. */
export function ownMaxSemiSpaceMb(execArgv: readonly string[] = process.execArgv): number | null {
  let found: number | null = null;
  for (const a of execArgv) {
    const m = /^--max-semi-space-size=(\d+)$/.exec(a);
    if (m) found = Number(m[1]);
  }
  return found;
}
