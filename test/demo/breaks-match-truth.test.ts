import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../lib/demo/generate-dataset';

// Issue 8: `workbench breaks DIR/fix.log --confirmations DIR/confirmations.csv --json` on a
// generated seed finds exactly the breaks in truth.json: no seeded break missing, none extra.
// The command is spawned as a user runs it (parse, contracts, in-memory DuckDB, detection).

const repo = path.resolve(__dirname, '..', '..');
let root: string;

interface Truth {
  breaks: { class: string; cl_ord_id: string | null; chain: string[] }[];
}
interface Detected {
  breaks: { class: string; cl_ord_id: string | null }[];
}

function detect(dir: string): Detected {
  const r = spawnSync(
    process.execPath,
    ['bin/workbench.mjs', 'breaks', path.join(dir, 'fix.log'), '--confirmations', path.join(dir, 'confirmations.csv'), '--json'],
    { cwd: repo, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
  );
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Detected;
}

/** class + root ClOrdID of the chain (a detector may name any ClOrdID of the chain); session breaks by class. */
function keys(breaks: { class: string; cl_ord_id: string | null }[], rootOf: Map<string, string>): string[] {
  return breaks.map((b) => `${b.class} ${b.cl_ord_id === null ? '-' : (rootOf.get(b.cl_ord_id) ?? b.cl_ord_id)}`).sort();
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'demo-breaks-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('workbench breaks on generated data', () => {
  it.each([
    ['seeded', false],
    ['clean', true],
  ])('%s: finds exactly the breaks of truth.json', async (name, clean) => {
    const dir = path.join(root, name);
    const dataset = await generateDataset({ orders: 300, seed: 42, outDir: dir, clean });
    const truth = JSON.parse(readFileSync(dataset.truthPath, 'utf8')) as Truth;
    const rootOf = new Map<string, string>();
    for (const b of truth.breaks) for (const id of b.chain) if (b.cl_ord_id) rootOf.set(id, b.cl_ord_id);
    const detected = detect(dir);
    expect(keys(detected.breaks, rootOf)).toEqual(keys(truth.breaks, rootOf));
    if (clean) expect(detected.breaks).toEqual([]);
  });
});
