// `workbench validate` as a real child process (node bin/workbench.mjs), the way a user runs it:
// exit codes, the --json document, the text summary, --out files, and no temp dir left behind.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetColumns } from '../../db/parquet';
import { confirmationsContract, CONFIRMATIONS_CSV, writeFixture } from './fixtures';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin', 'workbench.mjs');

let dir: string;
let csv: string;
let contractFile: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'validate-cli-test-'));
  csv = await writeFixture(dir, 'conf.csv', CONFIRMATIONS_CSV);
  contractFile = await writeFixture(dir, 'contract.json', JSON.stringify(confirmationsContract()));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function workbench(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe('workbench validate', () => {
  it('prints one JSON document with statuses, counts, violations and the manifest', async () => {
    const tmp = path.join(dir, 'tmp-json');
    await rm(tmp, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(tmp));
    const r = await workbench(['validate', csv, '--contract', contractFile, '--json'], { TMPDIR: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('PARTIAL_SUCCESS');
    expect(doc.outputs.confirmations).toMatchObject({
      status: 'PARTIAL_SUCCESS',
      rows: 3,
      quarantine_rows: 2,
      violations: { type_mismatch: 1, precision_exceeded: 1, enum_invalid: 1, format_invalid: 1, timezone_required: 1, null_not_allowed: 1 },
    });
    expect(doc.outputs.confirmations.result_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(doc.manifest).toMatchObject({ status: 'PARTIAL_SUCCESS', parser: { id: 'confirmations_csv' } });
    expect(doc.manifest.outputs.confirmations.result_hash).toBe(doc.outputs.confirmations.result_hash);
    // Without --out the run's temp directory is removed (tsx keeps its own cache there).
    expect((await readdir(tmp)).filter((n) => n.startsWith('workbench-validate-'))).toEqual([]);
  });

  it('writes Parquet and the manifest with --out, and prints a text summary', async () => {
    const out = path.join(dir, 'out');
    const r = await workbench(['validate', csv, '--contract', contractFile, '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('confirmations: PARTIAL_SUCCESS');
    expect(r.stdout).toContain('rows 3  quarantine_rows 2');
    expect(r.stdout).toContain('null_not_allowed 1');
    expect((await readdir(path.join(out, 'confirmations'))).sort()).toEqual(['quarantine.parquet', 'valid.parquet']);
    const manifest = JSON.parse(await readFile(path.join(out, 'manifest.json'), 'utf8'));
    expect(manifest.outputs.confirmations.quarantine_rows).toBe(2);
    const types = Object.fromEntries((await readParquetColumns(path.join(out, 'confirmations/valid.parquet'))).map((c) => [c.name, c.duckdbType]));
    expect(types.price).toBe('DECIMAL(20,6)');
  });

  it('exits 1 on FAILED, with no Parquet written', async () => {
    const strict = await writeFixture(
      dir,
      'strict.json',
      JSON.stringify(confirmationsContract({ quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null } })),
    );
    const out = path.join(dir, 'out-failed');
    const r = await workbench(['validate', csv, '--contract', strict, '--out', out, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.status).toBe('FAILED');
    expect(doc.outputs.confirmations).toMatchObject({ status: 'FAILED', rows: 3, quarantine_rows: 2 });
    expect(await readdir(out)).toEqual(['manifest.json']);
  });

  it('exits 2 with a reason on a bad contract or bad usage', async () => {
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...confirmationsContract(), columns: [{ name: 'x', type: { kind: 'decimal', precision: 40, scale: 2 }, nullable: true }] }));
    const r1 = await workbench(['validate', csv, '--contract', bad]);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toMatch(/contract .*bad\.json is invalid/);
    const r2 = await workbench(['validate', csv]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain('--contract');
    const r3 = await workbench(['validate', path.join(dir, 'missing.csv'), '--contract', contractFile]);
    expect(r3.code).toBe(2);
    expect(existsSync(path.join(dir, 'missing.csv'))).toBe(false);
  });
});
