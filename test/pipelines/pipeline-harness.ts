// A real DuckDB file in a temp data directory (migrations 001–005) and a temp pipeline root,
// with helpers to drop files with a chosen mtime.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDb } from '../../db/open';
import { applyDefinition } from '../../lib/server/pipelines/apply-definition';
import type { RunDeps } from '../../lib/server/pipelines/run-pipeline-date';

const MIGRATIONS = ['001_core.sql', '002_jobs.sql', '003_breaks.sql', '004_governance.sql', '005_pipelines.sql'];

export interface PipelineEnv {
  tmp: string;
  root: string;
  dataDir: string;
  db: OpenDb;
  deps: RunDeps;
  drop(rel: string, content: string, mtimeIso: string): string;
  apply(def: unknown): ReturnType<typeof applyDefinition>;
  count(table: string): Promise<number>;
  cleanup(): Promise<void>;
}

export async function openPipelineEnv(): Promise<PipelineEnv> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'wb-pipelines-'));
  const dataDir = path.join(tmp, 'data');
  const root = path.join(tmp, 'inbox');
  const migrationsDir = path.join(tmp, 'migrations');
  mkdirSync(migrationsDir, { recursive: true });
  mkdirSync(root, { recursive: true });
  for (const m of MIGRATIONS) copyFileSync(path.join(process.cwd(), 'db', 'migrations', m), path.join(migrationsDir, m));
  const db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir, migrationsDir });
  const deps: RunDeps = { db, actor: 'ops', root, dataDir };
  return {
    tmp,
    root,
    dataDir,
    db,
    deps,
    drop(rel, content, mtimeIso) {
      const file = path.join(root, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
      const t = new Date(mtimeIso);
      utimesSync(file, t, t);
      return file;
    },
    apply: (def) => applyDefinition(db, def, { actor: 'ops', root }),
    async count(table) {
      const rows = await db.all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${table}`);
      return Number(rows[0].n);
    },
    async cleanup() {
      await db.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

export function confirmationsCsv(execId: string): string {
  return (
    'exec_id,symbol,side,quantity,price,currency,trade_date\n' +
    `${execId},AAPL,BUY,100.0000,187.12500000,USD,2024-03-05\n`
  );
}
