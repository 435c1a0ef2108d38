import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../../lib/demo/generate-dataset';

// The demo generator's datasets through `workbench breaks` (a real process): a clean dataset gives
// zero breaks; a seeded one gives every seeded break exactly once (class and root ClOrdID, session
// breaks by class), and nothing else.

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'wb-breaks-gen-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface Out {
  orders: number;
  breaks: { class: string; cl_ord_id: string | null }[];
  by_class: Record<string, number>;
}

async function breaksOf(fixPath: string, confirmationsPath: string): Promise<Out> {
  const { stdout } = await run('node', [path.join(ROOT, 'bin', 'workbench.mjs'), 'breaks', fixPath, '--confirmations', confirmationsPath, '--json'], {
    cwd: ROOT,
    maxBuffer: 1 << 26,
  });
  return JSON.parse(stdout) as Out;
}

const key = (b: { class: string; cl_ord_id: string | null }) => `${b.class} ${b.cl_ord_id ?? '-'}`;

describe('generated datasets', () => {
  it('a clean dataset gives zero breaks', async () => {
    const ds = await generateDataset({ orders: 300, seed: 3, outDir: path.join(dir, 'clean'), clean: true });
    const out = await breaksOf(ds.fixPath, ds.confirmationsPath);
    expect(out.orders).toBe(300);
    expect(out.breaks).toEqual([]);
  });

  it('a seeded dataset gives each seeded break exactly once', async () => {
    const ds = await generateDataset({ orders: 600, seed: 7, outDir: path.join(dir, 'seeded') });
    const truth = JSON.parse(readFileSync(ds.truthPath, 'utf8')) as { by_class: Record<string, number>; breaks: { class: string; cl_ord_id: string | null }[] };
    const out = await breaksOf(ds.fixPath, ds.confirmationsPath);
    expect(out.by_class).toEqual(truth.by_class);
    expect(out.breaks.map(key).sort()).toEqual(truth.breaks.map(key).sort());
  });
});
