// What a retention purge removes: quarantined rows of jobs created before the cutoff (in every
// `<output>_quarantine` table), and uploads received before it that no job inside the window
// (or still unfinished) refers to, by id or by bytes (sha256). The cutoff is bound, never spliced.
import type { Db } from '../open';
import { quoteIdent } from '../sql';
import { quarantineTableName } from '../jobs/warehouse-tables';
import { quarantineOutputs } from './quarantine-browse-queries';

const OLD_JOBS = `SELECT id FROM jobs WHERE created_at < CAST(? AS TIMESTAMPTZ)`;

export async function oldJobIds(db: Db, cutoffIso: string): Promise<string[]> {
  return (await db.all<{ id: string }>(`${OLD_JOBS} ORDER BY id`, [cutoffIso])).map((r) => r.id);
}

/** Rows to purge per quarantine table (tables with none left out). */
export async function oldQuarantineCounts(db: Db, cutoffIso: string): Promise<{ output: string; table: string; rows: number }[]> {
  const out = [];
  for (const output of await quarantineOutputs(db)) {
    const table = quarantineTableName(output);
    const [r] = await db.all<{ n: unknown }>(`SELECT count(*) AS n FROM ${quoteIdent(table)} WHERE _cf_job_id IN (${OLD_JOBS})`, [cutoffIso]);
    const rows = Number(r.n);
    if (rows > 0) out.push({ output, table, rows });
  }
  return out;
}

export async function deleteOldQuarantine(db: Db, table: string, cutoffIso: string): Promise<void> {
  await db.run(`DELETE FROM ${quoteIdent(table)} WHERE _cf_job_id IN (${OLD_JOBS})`, [cutoffIso]);
}

export interface PurgeableUpload {
  id: string;
  sha256: string;
  size_bytes: string;
}

export async function purgeableUploads(db: Db, cutoffIso: string): Promise<PurgeableUpload[]> {
  return db.all<PurgeableUpload>(
    `SELECT u.id, u.sha256, CAST(u.size_bytes AS VARCHAR) AS size_bytes FROM uploads u
     WHERE u.uploaded_at < CAST($1 AS TIMESTAMPTZ)
       AND NOT EXISTS (
         SELECT 1 FROM jobs j WHERE (j.upload_id = u.id OR j.source_sha256 = u.sha256)
           AND (j.created_at >= CAST($1 AS TIMESTAMPTZ) OR j.status IN ('QUEUED', 'RUNNING', 'AWAITING_CONTRACT')))
     ORDER BY u.uploaded_at, u.id`,
    [cutoffIso],
  );
}

export async function deleteUploads(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    await db.run(`DELETE FROM uploads WHERE id IN (${part.map(() => '?').join(', ')})`, part);
  }
}

/** Of these sha256s, the ones no uploads row refers to any more (their file can go). */
export async function unreferencedShas(db: Db, shas: string[]): Promise<string[]> {
  if (shas.length === 0) return [];
  const still = new Set<string>();
  for (let i = 0; i < shas.length; i += 500) {
    const part = shas.slice(i, i + 500);
    const rows = await db.all<{ sha256: string }>(`SELECT DISTINCT sha256 FROM uploads WHERE sha256 IN (${part.map(() => '?').join(', ')})`, part);
    for (const r of rows) still.add(r.sha256);
  }
  return shas.filter((s) => !still.has(s));
}
