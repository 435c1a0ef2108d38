// Retention (issue 6): an admin purges quarantined rows of jobs created more than N days ago
// and uploads received more than N days ago, except uploads a job inside the window (or one not
// finished) still refers to. A dry run only counts. A purge deletes the rows, the upload rows and
// appends one audit entry in one transaction; the files (data/uploads/<sha256>, the warehouse's
// quarantine.parquet of purged jobs) are removed after the commit — a crash in between leaves
// only unreferenced files, never a row pointing at a missing file it needs.
import { stat, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../db/open';
import { deleteOldQuarantine, deleteUploads, oldJobIds, oldQuarantineCounts, purgeableUploads, unreferencedShas } from '../../../db/quarantine/retention-queries';
import { quarantineOutputs } from '../../../db/quarantine/quarantine-browse-queries';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { STAGED_FILES, warehouseDirFor, isJobId } from '../jobs/job-paths';

export interface RetentionRequest {
  days: number;
  dryRun: boolean;
  /** for tests; default now */
  now?: Date;
}

export interface RetentionSummary {
  dry_run: boolean;
  days: number;
  cutoff: string;
  /** rows removed (or that would be) per table */
  tables: Record<string, number>;
  files: { uploads: number; quarantine_parquet: number };
  bytes_freed: number;
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch {
    return null;
  }
}

async function countTrail(tx: Db, jobIds: string[]): Promise<number> {
  const rows = await tx.all<{ n: string }>(`SELECT count(*) AS n FROM quarantine_replayed_rows WHERE job_id IN (${jobIds.map(() => '?').join(', ')})`, jobIds);
  return Number(rows[0]?.n ?? 0);
}

export async function purgeRetention(db: Db, actor: string, dataDir: string, req: RetentionRequest): Promise<RetentionSummary> {
  if (!Number.isInteger(req.days) || req.days < 1 || req.days > 36_500) throw new ApiError('retention.bad_days', 400, 'days must be an integer from 1 to 36500.');
  const cutoff = new Date((req.now ?? new Date()).getTime() - req.days * 86_400_000).toISOString();
  const outcome = await db.transaction(async (tx) => {
    const counts = await oldQuarantineCounts(tx, cutoff);
    const uploads = await purgeableUploads(tx, cutoff);
    const jobs = (await oldJobIds(tx, cutoff)).filter(isJobId);
    const outputs = await quarantineOutputs(tx);
    const tables: Record<string, number> = {};
    for (const c of counts) tables[c.table] = c.rows;
    // Replayed rows moved out of quarantine (the replay trail) age with their job, like quarantine.
    const trail = jobs.length === 0 ? 0 : await countTrail(tx, jobs);
    if (trail > 0) tables.quarantine_replayed_rows = trail;
    tables.uploads = uploads.length;
    const candidateShas = [...new Set(uploads.map((u) => u.sha256))];
    let shas: string[];
    if (req.dryRun) {
      // Files whose every uploads row would go.
      const all = await tx.all<{ sha256: string; id: string }>(`SELECT sha256, id FROM uploads`);
      const leaving = new Set(uploads.map((u) => u.id));
      const kept = new Set(all.filter((u) => !leaving.has(u.id)).map((u) => u.sha256));
      shas = candidateShas.filter((s) => !kept.has(s));
    } else {
      for (const c of counts) await deleteOldQuarantine(tx, c.table, cutoff);
      if (trail > 0) await tx.run(`DELETE FROM quarantine_replayed_rows WHERE job_id IN (${jobs.map(() => '?').join(', ')})`, jobs);
      await deleteUploads(tx, uploads.map((u) => u.id));
      shas = await unreferencedShas(tx, candidateShas);
    }
    const files = [
      ...shas.filter((s) => /^[0-9a-f]{64}$/.test(s)).map((s) => ({ kind: 'uploads' as const, file: path.join(dataDir, 'uploads', s) })),
      ...jobs.flatMap((j) => outputs.map((o) => ({ kind: 'quarantine_parquet' as const, file: path.join(warehouseDirFor(dataDir, o, j), STAGED_FILES.quarantine) }))),
    ];
    const present: { kind: 'uploads' | 'quarantine_parquet'; file: string; size: number }[] = [];
    for (const f of files) {
      const size = await sizeOf(f.file);
      if (size !== null) present.push({ ...f, size });
    }
    const summary: RetentionSummary = {
      dry_run: req.dryRun,
      days: req.days,
      cutoff,
      tables,
      files: {
        uploads: present.filter((f) => f.kind === 'uploads').length,
        quarantine_parquet: present.filter((f) => f.kind === 'quarantine_parquet').length,
      },
      bytes_freed: present.reduce((n, f) => n + f.size, 0),
    };
    if (!req.dryRun) {
      await appendAudit(tx, { actor, action: 'retention.purged', subject: `retention:${req.days}d`, details: { ...summary, upload_ids: uploads.map((u) => u.id) } });
    }
    return { summary, present };
  });
  if (!req.dryRun) for (const f of outcome.present) await rm(f.file, { force: true });
  return outcome.summary;
}
