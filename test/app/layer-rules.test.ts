// DESIGN.md "Layout": app/ holds routes only and never imports db/ (or DuckDB) directly; it
// goes through lib/server. Only db/ imports @duckdb/node-api.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === 'node_modules' ? [] : sources(full);
    return /\.(ts|tsx|mjs)$/.test(name) ? [full] : [];
  });
}

const importsOf = (file: string) => [...readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);

describe('layer rules', () => {
  it('app/ never imports db/ or DuckDB', () => {
    const offenders = sources(path.join(process.cwd(), 'app')).flatMap((f) =>
      importsOf(f)
        .filter((spec) => /(^|\/)db\//.test(spec) || spec.startsWith('@duckdb/'))
        .map((spec) => `${path.relative(process.cwd(), f)} imports ${spec}`),
    );
    expect(offenders).toEqual([]);
  });

  it('only db/ imports @duckdb/node-api', () => {
    const offenders = ['app', 'lib', 'worker', 'cli']
      .flatMap((d) => sources(path.join(process.cwd(), d)))
      .filter((f) => importsOf(f).some((spec) => spec.startsWith('@duckdb/')))
      .map((f) => path.relative(process.cwd(), f));
    expect(offenders).toEqual([]);
  });
});
