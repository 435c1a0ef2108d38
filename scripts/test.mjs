#!/usr/bin/env node
// `npm test`: every test of the project. Unit and integration tests (vitest), then browser
// tests (Playwright against the built app). Each runner prints its own summary line.
import { spawnSync } from 'node:child_process';
import { readdirSync, existsSync } from 'node:fs';

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

run('npx', ['vitest', 'run']);
const specs = existsSync('e2e') ? readdirSync('e2e').filter((f) => f.endsWith('.spec.ts')) : [];
if (specs.length > 0) run('npx', ['playwright', 'test']);
else console.log('No browser specs in e2e/ yet: Playwright not run.');
