import type { Db } from '../open';

// Break detection runs on any Db (H5's server database, or the CLI's in-memory one).
export type BreaksDb = Db;

export async function tableExists(db: Db, table: string): Promise<boolean> {
  const rows = await db.all<{ n: string | number }>(
    `SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = ? AND table_schema = 'main'`,
    [table],
  );
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function columnNames(db: Db, table: string): Promise<Set<string>> {
  const rows = await db.all<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns WHERE table_name = ? AND table_schema = 'main'`,
    [table],
  );
  return new Set(rows.map((r) => r.column_name));
}
