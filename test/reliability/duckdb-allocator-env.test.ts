// The operator's memory setting documented in docs/performance.md ("Memory of the server"):
// DuckDB allocates through the jemalloc it bundles, compiled with dirty_decay_ms:1000 and
// muzzy_decay_ms:1000, so freed pages stay resident for a second or two. At 10M messages that is
// 0.9–1.7 GB of the server's peak beyond DuckDB's memory_limit. Starting the server with
// DUCKDB_JE_MALLOC_CONF=dirty_decay_ms:0,muzzy_decay_ms:0 gives them back at once, at a cost in
// time measured there (so it is not the default). These tests keep that advice true for the
// DuckDB build we pin: the variable reaches its jemalloc, and with it a process gives back what a
// finished query freed. jemalloc reads the variable once, when libduckdb loads: hence a child
// process per case.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..', '..');
const RETURN_AT_ONCE = 'dirty_decay_ms:0,muzzy_decay_ms:0';

/** Runs an ES module script in a fresh node with DUCKDB_JE_MALLOC_CONF set (or unset: null). */
function runWithConf(conf: string | null, script: string): { stdout: string; stderr: string } {
  const env = { ...process.env };
  delete env.DUCKDB_JE_MALLOC_CONF;
  if (conf !== null) env.DUCKDB_JE_MALLOC_CONF = conf;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

const OPEN = `const { DuckDBInstance } = await import('@duckdb/node-api');
const instance = await DuckDBInstance.create(':memory:', { memory_limit: '1GB', threads: '2' });
const c = await instance.connect();`;

/** The decay options jemalloc reports it runs with (stats_print writes them to stderr at exit). */
function decayOptions(conf: string): string[] {
  const { stderr } = runWithConf(conf, `${OPEN}\nawait c.run('SELECT 1');`);
  return stderr.split('\n').map((l) => l.trim()).filter((l) => /^opt\.(dirty|muzzy)_decay_ms:/.test(l));
}

// What the process holds beyond DuckDB's own count right after a query whose hash table (a few
// hundred MB) has been freed.
const HELD_AFTER_QUERY = `${OPEN}
const { readFileSync } = await import('node:fs');
await c.run("CREATE TABLE t AS SELECT i % 1000000 AS k, md5(i::VARCHAR) AS pad FROM range(3000000) r(i)");
await c.run('CREATE TABLE a AS SELECT k, arg_min(pad, pad) AS p, count(*) AS n FROM t GROUP BY k');
const rssMb = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024;
const duck = (await c.runAndReadAll('SELECT sum(memory_usage_bytes)::BIGINT AS b FROM duckdb_memory()')).getRowObjectsJson()[0].b;
console.log(JSON.stringify({ rssMb, duckMb: Number(duck) / 1048576 }));`;

function heldBeyondDuckDb(conf: string | null): number {
  const { rssMb, duckMb } = JSON.parse(runWithConf(conf, HELD_AFTER_QUERY).stdout.trim()) as { rssMb: number; duckMb: number };
  return rssMb - duckMb;
}

describe('DuckDB allocator setting (DUCKDB_JE_MALLOC_CONF)', () => {
  it('reaches the jemalloc of the pinned DuckDB build, whose compiled-in decay is 1000 ms', () => {
    expect(decayOptions(`${RETURN_AT_ONCE},stats_print:true`)).toEqual([
      'opt.dirty_decay_ms: 0 (arenas.dirty_decay_ms: 0)',
      'opt.muzzy_decay_ms: 0 (arenas.muzzy_decay_ms: 0)',
    ]);
    expect(decayOptions('stats_print:true')).toEqual([
      'opt.dirty_decay_ms: 1000 (arenas.dirty_decay_ms: 1000)',
      'opt.muzzy_decay_ms: 1000 (arenas.muzzy_decay_ms: 1000)',
    ]);
  });

  it('with decay 0, gives back the memory a finished query freed, which the compiled-in options keep', () => {
    const kept = heldBeyondDuckDb(null);
    const returned = heldBeyondDuckDb(RETURN_AT_ONCE);
    console.log(`held beyond DuckDB's count after the query: ${kept.toFixed(0)} MB by default, ${returned.toFixed(0)} MB with ${RETURN_AT_ONCE}`);
    expect(returned).toBeLessThan(kept / 2);
  });
});
