// Every migration in db/migrations applies to a fresh file, in order, once: reopening applies nothing.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations, listMigrations } from '../../db/migrate';
import { openDatabase } from '../../db/open';
import { makeTempDir } from './temp-db';

describe('migrations', () => {
  const roots: string[] = [makeTempDir('wb-migrate-')];
  const dataDir = path.join(roots[0], 'data');
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const file = path.join(dataDir, 'workbench.duckdb');
  const dir = path.join(process.cwd(), 'db', 'migrations');

  it('applies all of db/migrations once, and reopening is a no-op', async () => {
    const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
    const first = await openDatabase({ file, dataDir });
    const recorded = await first.all<{ name: string }>('SELECT name FROM schema_migrations ORDER BY version');
    expect(recorded.map((r) => r.name)).toEqual(files);
    expect(await applyMigrations(first, dir)).toEqual([]);
    await first.close();
    const again = await openDatabase({ file, dataDir });
    expect(await again.all('SELECT count(*) AS n FROM schema_migrations')).toEqual([{ n: String(files.length) }]);
    for (const table of ['users', 'user_roles', 'sessions', 'audit_log', 'uploads']) {
      expect(await again.all('SELECT count(*) AS n FROM information_schema.tables WHERE table_name = ?', [table])).toEqual([{ n: '1' }]);
    }
    await again.close();
  });

  it('refuses two migrations with one number and applies a failing one not at all', async () => {
    const root = makeTempDir('wb-migrate-bad-');
    roots.push(root);
    const bad = path.join(root, 'm');
    mkdirSync(bad);
    writeFileSync(path.join(bad, '001_a.sql'), 'CREATE TABLE a (x INTEGER);');
    writeFileSync(path.join(bad, '001_b.sql'), 'CREATE TABLE b (x INTEGER);');
    expect(() => listMigrations(bad)).toThrow(/db.migration_conflict/);

    const half = path.join(root, 'h');
    mkdirSync(half);
    writeFileSync(path.join(half, '001_ok.sql'), 'CREATE TABLE ok (x INTEGER);');
    writeFileSync(path.join(half, '002_broken.sql'), 'CREATE TABLE t2 (x INTEGER); CREATE TABLE t2 (x INTEGER);');
    const d = path.join(root, 'data');
    await expect(openDatabase({ file: path.join(d, 'w.duckdb'), dataDir: d, migrationsDir: half })).rejects.toThrow();
    const fixed = path.join(root, 'f');
    mkdirSync(fixed);
    writeFileSync(path.join(fixed, '001_ok.sql'), 'CREATE TABLE ok (x INTEGER);');
    const db = await openDatabase({ file: path.join(d, 'w.duckdb'), dataDir: d, migrationsDir: fixed });
    expect(await db.all('SELECT version FROM schema_migrations')).toEqual([{ version: 1 }]);
    expect(await db.all(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 't2'`)).toEqual([{ n: '0' }]);
    await db.close();
  });
});
