// A real DuckDB file in a fresh temp data directory, with only the core migration (001) so
// these tests do not depend on other areas' migrations (migrations.test.ts runs them all).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDb } from '../../db/open';

export interface TempDb {
  db: OpenDb;
  dataDir: string;
  cleanup(): Promise<void>;
}

export function makeTempDir(prefix = 'wb-app-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function coreMigrationsDir(root: string): string {
  const dir = path.join(root, 'migrations-core');
  mkdirSync(dir, { recursive: true });
  copyFileSync(path.join(process.cwd(), 'db', 'migrations', '001_core.sql'), path.join(dir, '001_core.sql'));
  return dir;
}

export async function openTempDb(): Promise<TempDb> {
  const root = makeTempDir();
  const dataDir = path.join(root, 'data');
  const db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir, migrationsDir: coreMigrationsDir(root) });
  return {
    db,
    dataDir,
    async cleanup() {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
