import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { logicHashOf, workbenchRoot } from '../../lib/parsers/logic-hash';

const made: string[] = [];
const savedRoot = process.env.WORKBENCH_ROOT;

afterEach(() => {
  if (savedRoot === undefined) delete process.env.WORKBENCH_ROOT;
  else process.env.WORKBENCH_ROOT = savedRoot;
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeRepo(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'logic-hash-'));
  made.push(root);
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  return root;
}

describe('logicHashOf', () => {
  it('hashes the sorted *.ts sources of a directory (tests and other files excluded)', () => {
    process.env.WORKBENCH_ROOT = fakeRepo({
      'p/b.ts': 'export const b = 2;\n',
      'p/a.ts': 'export const a = 1;\n',
      'p/sub/c.ts': 'export const c = 3;\n',
      'p/a.test.ts': 'test',
      'p/README.md': 'doc',
    });
    const expected = createHash('sha256');
    for (const [rel, content] of [['a.ts', 'export const a = 1;\n'], ['b.ts', 'export const b = 2;\n'], ['sub/c.ts', 'export const c = 3;\n']]) {
      expected.update(`${rel}\0${content}\0`);
    }
    expect(logicHashOf('p')).toBe(expected.digest('hex'));
  });

  it('changes with any source change and ignores test files', () => {
    const base = { 'p/a.ts': 'export const a = 1;\n' };
    process.env.WORKBENCH_ROOT = fakeRepo(base);
    const h1 = logicHashOf('p');
    process.env.WORKBENCH_ROOT = fakeRepo({ ...base, 'p/a.test.ts': 'it()' });
    expect(logicHashOf('p')).toBe(h1);
    process.env.WORKBENCH_ROOT = fakeRepo({ 'p/a.ts': 'export const a = 2;\n' });
    expect(logicHashOf('p')).not.toBe(h1);
    process.env.WORKBENCH_ROOT = fakeRepo({ 'p/renamed.ts': 'export const a = 1;\n' });
    expect(logicHashOf('p')).not.toBe(h1);
  });

  it('refuses a directory that does not exist', () => {
    process.env.WORKBENCH_ROOT = fakeRepo({ 'p/a.ts': '' });
    expect(() => logicHashOf('missing')).toThrow(/not a directory/);
  });

  it('finds the repository root from the working directory when WORKBENCH_ROOT is unset', () => {
    delete process.env.WORKBENCH_ROOT;
    expect(path.basename(workbenchRoot())).toBe(path.basename(process.cwd()));
    expect(logicHashOf('lib/parsers/confirmations')).toMatch(/^[0-9a-f]{64}$/);
  });
});
