#!/usr/bin/env node
// `npm run test:reliability`: the reliability suite (test/reliability) at its full counts.
// The crash loop runs CRASH_ITERATIONS kills of each kind (default 30 here; `npm test` runs the
// same files with their small default of 5). RELIABILITY_FULL=1 gives the fuzzing (10k runs per
// property) and load (50 sessions, 1M messages) tests their full sizes too, also when this script
// is run directly rather than through npm. An explicit CRASH_ITERATIONS or CRASH_SEED is kept.
// Extra arguments go to vitest (e.g. a file name to run one file).
import { spawnSync } from 'node:child_process';

const env = { ...process.env, CRASH_ITERATIONS: process.env.CRASH_ITERATIONS ?? '30', RELIABILITY_FULL: '1' };
const r = spawnSync('npx', ['vitest', 'run', 'test/reliability', ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 1);
