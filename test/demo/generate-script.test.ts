import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `npm run generate` is a real process (tsx scripts/generate.ts): spawned, not imported, so the
// argument parsing, exit codes and output files are what a user gets.

const repo = path.resolve(__dirname, '..', '..');
const tsx = path.join(repo, 'node_modules', '.bin', 'tsx');
let root: string;

const generate = (args: string[]) =>
  spawnSync(tsx, ['scripts/generate.ts', ...args], { cwd: repo, encoding: 'utf8', timeout: 60_000 });

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'demo-script-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('scripts/generate.ts', () => {
  it('writes the three files and a summary line', () => {
    const out = path.join(root, 'clean');
    const r = generate(['--orders', '40', '--seed', '3', '--out', out, '--clean']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/generate: 40 orders, \d+ FIX messages, \d+ confirmations, 0 seeded breaks, 0 seeded quarantine rows/);
    for (const f of ['fix.log', 'confirmations.csv', 'truth.json']) expect(existsSync(path.join(out, f))).toBe(true);
    expect(JSON.parse(readFileSync(path.join(out, 'truth.json'), 'utf8'))).toMatchObject({ orders: 40, seed: 3, clean: true, breaks: [] });
  });

  it('refuses bad usage with exit code 2', () => {
    const missing = generate(['--seed', '3']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--orders and --out are required/);
    const notNumber = generate(['--orders', 'many', '--out', path.join(root, 'x')]);
    expect(notNumber.status).toBe(2);
    expect(notNumber.stderr).toMatch(/needs an integer/);
    expect(existsSync(path.join(root, 'x'))).toBe(false);
  });
});
