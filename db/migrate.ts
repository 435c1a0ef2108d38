// Numbered SQL migrations (db/migrations/NNN_name.sql), applied in order at open, each in its
// own transaction together with its row in schema_migrations: a migration is applied whole or
// not at all, and never twice.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './open';

const MIGRATION_FILE = /^(\d{3})_[a-z0-9_]+\.sql$/;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations of a folder, ordered by number; two files with one number is an error. */
export function listMigrations(dir: string): Migration[] {
  const files = readdirSync(dir).filter((f) => MIGRATION_FILE.test(f)).sort();
  const seen = new Map<number, string>();
  return files.map((file) => {
    const version = Number(MIGRATION_FILE.exec(file)![1]);
    const other = seen.get(version);
    if (other) throw new Error(`db.migration_conflict: ${other} and ${file} share number ${version}`);
    seen.set(version, file);
    return { version, name: file, sql: readFileSync(path.join(dir, file), 'utf8') };
  });
}

/** Applies the migrations not yet recorded; returns the names applied now. */
export async function applyMigrations(db: Db, dir: string): Promise<string[]> {
  await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name VARCHAR NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
  )`);
  const done = new Set(
    (await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
  );
  const applied: string[] = [];
  for (const m of listMigrations(dir)) {
    if (done.has(m.version)) continue;
    await db.transaction(async (tx) => {
      await tx.run(m.sql);
      await tx.run('INSERT INTO schema_migrations (version, name) VALUES (?, ?)', [m.version, m.name]);
    });
    applied.push(m.name);
  }
  return applied;
}
