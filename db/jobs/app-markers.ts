// One-time start-up actions, recorded once done (e.g. 'demo_loaded').
import type { Db } from '../open';

export async function hasMarker(db: Db, name: string): Promise<boolean> {
  return (await db.all(`SELECT 1 AS one FROM app_markers WHERE name = ?`, [name])).length === 1;
}

/** Records the marker; false when it was already there (another start got there first). */
export async function setMarker(db: Db, name: string, details: Record<string, unknown>): Promise<boolean> {
  const rows = await db.all(
    `INSERT INTO app_markers (name, details) VALUES (?, ?) ON CONFLICT (name) DO NOTHING RETURNING name`,
    [name, JSON.stringify(details)],
  );
  return rows.length === 1;
}
