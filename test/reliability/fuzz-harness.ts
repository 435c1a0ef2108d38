// Fuzzing harness of the reliability suite (issue 10): fast-check properties run with a logged
// seed, and every counterexample found is saved as a regression fixture that later runs replay.
//
// Counts: FUZZ_RUNS runs per property; by default 10,000 under `npm run test:reliability`
// (npm_lifecycle_event, or RELIABILITY_FULL=1) and 500 inside `npm test`. FUZZ_SEED replays a
// logged seed. A failure writes test/reliability/fixtures/fuzz-regressions/<property>-<seed>.json
// holding the seed, the fast-check path and the shrunk case (JSON values only: byte strings are
// latin1 text), so the case is replayed by every later run even with another seed.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';

export const FIXTURE_DIR = path.join(import.meta.dirname, 'fixtures', 'fuzz-regressions');

/** True under `npm run test:reliability` (or RELIABILITY_FULL=1): the full counts. */
export function reliabilityFull(): boolean {
  return process.env.RELIABILITY_FULL === '1' || process.env.npm_lifecycle_event === 'test:reliability';
}

export function fuzzRuns(): number {
  const env = Number(process.env.FUZZ_RUNS);
  if (Number.isInteger(env) && env > 0) return env;
  return reliabilityFull() ? 10_000 : 500;
}

/** FUZZ_SEED when set (to replay a logged run), else a fresh seed; always logged. */
export function fuzzSeed(): number {
  const env = process.env.FUZZ_SEED;
  if (env !== undefined && env !== '' && Number.isInteger(Number(env))) return Number(env) | 0;
  return (Date.now() ^ (Math.random() * 0x7fffffff)) | 0;
}

/** A saved counterexample. `case` is the argument list of the property's predicate. */
export interface FuzzFixture {
  property: string;
  seed: number;
  path: string | null;
  found: string;
  error: string;
  case: unknown[];
  /** Optional: why it failed and how it was resolved (written by hand after a fix). */
  note?: string;
}

export function loadFixtures(property?: string): (FuzzFixture & { file: string })[] {
  let names: string[] = [];
  try {
    names = readdirSync(FIXTURE_DIR).filter((n) => n.endsWith('.json')).sort();
  } catch {
    return [];
  }
  return names
    .map((n) => ({ ...(JSON.parse(readFileSync(path.join(FIXTURE_DIR, n), 'utf8')) as FuzzFixture), file: n }))
    .filter((f) => property === undefined || f.property === property);
}

export interface FuzzOutcome {
  property: string;
  seed: number;
  runs: number;
  fixture: string | null;
}

/**
 * Runs a property `runs` times from `seed`, logging both. On a failure the shrunk counterexample
 * is written as a fixture and the returned outcome names it (the caller fails the test).
 */
export async function runFuzz<Ts extends unknown[]>(
  property: string,
  arbs: { [K in keyof Ts]: fc.Arbitrary<Ts[K]> },
  predicate: (...args: Ts) => Promise<void> | void,
  opts: { runs?: number; seed?: number } = {},
): Promise<FuzzOutcome & { error: string | null }> {
  const runs = opts.runs ?? fuzzRuns();
  const seed = opts.seed ?? fuzzSeed();
  console.log(`[fuzz] ${property}: seed=${seed} runs=${runs} (replay with FUZZ_SEED=${seed} FUZZ_RUNS=${runs})`);
  const prop = fc.asyncProperty(...(arbs as unknown as [fc.Arbitrary<unknown>]), async (...args: unknown[]) => {
    await predicate(...(args as Ts));
  });
  const details = await fc.check(prop, { seed, numRuns: runs });
  if (!details.failed || details.counterexample === null) return { property, seed, runs, fixture: null, error: null };
  const e = details.errorInstance as { message?: string; actual?: unknown; expected?: unknown } | null;
  let error = e instanceof Error ? e.message : String(e);
  // Assertion errors abbreviate objects in the message: keep both sides in full.
  if (e && ('actual' in e || 'expected' in e)) error += ` | actual ${JSON.stringify(e.actual)} | expected ${JSON.stringify(e.expected)}`;
  const fixture: FuzzFixture = {
    property,
    seed,
    path: details.counterexamplePath,
    found: new Date().toISOString(),
    error: error.slice(0, 4000),
    case: details.counterexample as unknown[],
  };
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const file = `${property}-${seed >>> 0}.json`;
  writeFileSync(path.join(FIXTURE_DIR, file), JSON.stringify(fixture, null, 2) + '\n');
  console.log(`[fuzz] ${property}: FAILED with seed=${seed} path=${details.counterexamplePath}; case saved to ${path.join(FIXTURE_DIR, file)}`);
  return { property, seed, runs, fixture: file, error };
}
