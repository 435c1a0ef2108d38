import type { Db } from '../open';

// What the drill-down shows beyond H7's chain reads: the file name of each job a message came
// from, and the confirmation rows the chain's fills were matched to (conf_id is the ExecID,
// prefixed with "counterparty:" when the file names a counterparty).

async function tableExists(db: Db, name: string): Promise<boolean> {
  const rows = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = ?`, [name]);
  return Number(rows[0]?.n ?? 0) > 0;
}

export async function jobSourceNames(db: Db, jobIds: string[]): Promise<Record<string, { name: string | null; sha256: string }>> {
  if (jobIds.length === 0 || !(await tableExists(db, 'jobs'))) return {};
  const rows = await db.all<{ id: string; source_name: string | null; source_sha256: string }>(
    `SELECT id, source_name, source_sha256 FROM jobs WHERE id IN (${jobIds.map(() => '?').join(', ')})`,
    jobIds,
  );
  return Object.fromEntries(rows.map((r) => [r.id, { name: r.source_name, sha256: r.source_sha256 }]));
}

export async function confirmationRows(db: Db, confIds: string[]): Promise<Record<string, unknown>[]> {
  if (confIds.length === 0 || !(await tableExists(db, 'confirmations'))) return [];
  const execIds = [...new Set(confIds.flatMap((c) => [c, c.slice(c.indexOf(':') + 1)]))];
  const rows = await db.all<Record<string, unknown>>(
    `SELECT * EXCLUDE (_cf_processed_at) FROM confirmations WHERE exec_id IN (${execIds.map(() => '?').join(', ')})
     QUALIFY row_number() OVER (PARTITION BY exec_id, _cf_source_hash, message_index ORDER BY _cf_job_id DESC) = 1
     ORDER BY exec_id`,
    execIds,
  );
  const wanted = new Set(confIds);
  return rows
    .map((r) => {
      const cp = typeof r.counterparty === 'string' && r.counterparty.trim() !== '' ? r.counterparty.trim() : null;
      return { conf_id: cp ? `${cp}:${String(r.exec_id)}` : String(r.exec_id), ...r };
    })
    .filter((r) => wanted.has(r.conf_id));
}
