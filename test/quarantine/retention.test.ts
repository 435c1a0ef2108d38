// Retention on real jobs: upload A and job A are aged 40 days, upload B 40 days too but job B is
// recent (an upload a job inside the window refers to is kept). A dry run reports and changes
// nothing; a purge of 30 days removes exactly job A's quarantined rows, upload A's row and file
// (and job A's quarantine.parquet in the warehouse, and its replayed rows kept in the replay
// trail), writes one audit entry; only admins may.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purgeRetention } from '../../lib/server/retention/purge-retention';
import { hasPermission, ROLES } from '../../lib/server/permissions';
import { asRole, BAD_A, BAD_B, openQuarantineWorld, type QuarantineWorld } from './quarantine-fixture';

let w: QuarantineWorld;

beforeAll(async () => {
  w = await openQuarantineWorld('wb-quarantine-retention-');
  await w.db.run(`UPDATE jobs SET created_at = created_at - INTERVAL 40 DAY WHERE id = ?`, [w.jobA]);
  await w.db.run(`UPDATE uploads SET uploaded_at = uploaded_at - INTERVAL 40 DAY`);
}, 120_000);
afterAll(async () => {
  await w?.close();
});

async function snapshot() {
  const q = await w.db.all<{ job: string; n: string }>(`SELECT _cf_job_id AS job, count(*) AS n FROM confirmations_quarantine GROUP BY 1 ORDER BY 1`);
  const uploads = await w.db.all<{ id: string }>(`SELECT id FROM uploads ORDER BY id`);
  const audit = await w.db.all<{ n: string }>(`SELECT count(*) AS n FROM audit_log WHERE action = 'retention.purged'`);
  return {
    quarantine: Object.fromEntries(q.map((r) => [r.job, Number(r.n)])),
    uploads: uploads.map((u) => u.id),
    audits: Number(audit[0].n),
    fileA: existsSync(path.join(w.dataDir, 'uploads', w.uploadA.sha256)),
    fileB: existsSync(path.join(w.dataDir, 'uploads', w.uploadB.sha256)),
  };
}

describe('retention', () => {
  it('a dry run reports and changes nothing', async () => {
    const before = await snapshot();
    expect(before.quarantine).toEqual({ [w.jobA]: BAD_A.length, [w.jobB]: BAD_B.length });
    expect(before.fileA && before.fileB).toBe(true);
    const dry = await purgeRetention(w.db, 'q_admin', w.dataDir, { days: 30, dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, days: 30, tables: { confirmations_quarantine: BAD_A.length, uploads: 1 } });
    expect(dry.files.uploads).toBe(1);
    expect(dry.bytes_freed).toBeGreaterThan(0);
    expect(await snapshot()).toEqual(before);
  });

  it('only admins may call the route; a bad body is refused', async () => {
    const { POST } = await import('../../app/api/admin/retention/route');
    const ctx = { params: Promise.resolve({}) };
    expect((await POST(asRole(null, '/api/admin/retention', { method: 'POST', body: { days: 30, dry_run: true } }), ctx)).status).toBe(401);
    for (const role of ROLES) {
      const res = await POST(asRole(w.cookies[role], '/api/admin/retention', { method: 'POST', body: { days: 30, dry_run: true } }), ctx);
      const allowed = hasPermission({ username: role, roles: [role] }, 'retention.manage');
      expect(res.status, role).toBe(allowed ? 200 : 403);
      if (allowed) expect((await res.json()).tables.uploads).toBe(1);
    }
    expect(ROLES.filter((r) => hasPermission({ username: r, roles: [r] }, 'retention.manage'))).toEqual(['admin']);
    const bad = await POST(asRole(w.cookies.admin, '/api/admin/retention', { method: 'POST', body: { days: 0, dry_run: false } }), ctx);
    expect(bad.status).toBe(400);
  });

  it('a purge removes exactly the old rows and uploads, keeps what the window refers to, and audits once', async () => {
    const before = await snapshot();
    const warehouseA = path.join(w.dataDir, 'warehouse', 'confirmations', `job=${w.jobA}`, 'quarantine.parquet');
    const warehouseB = path.join(w.dataDir, 'warehouse', 'confirmations', `job=${w.jobB}`, 'quarantine.parquet');
    expect(existsSync(warehouseA)).toBe(true);
    // Replayed rows moved out of quarantine (the replay trail) age with their job too.
    for (const job of [w.jobA, w.jobB]) {
      await w.db.run(`INSERT INTO quarantine_replayed_rows (job_id, output, q_row, replay_id, row_json) VALUES (?, 'confirmations', 999, 'rp', '{}')`, [job]);
    }
    const summary = await purgeRetention(w.db, 'q_admin', w.dataDir, { days: 30, dryRun: false });
    expect(summary).toMatchObject({ dry_run: false, tables: { confirmations_quarantine: BAD_A.length, quarantine_replayed_rows: 1, uploads: 1 } });
    expect(await w.db.all(`SELECT job_id FROM quarantine_replayed_rows`)).toEqual([{ job_id: w.jobB }]);
    const after = await snapshot();
    expect(after.quarantine).toEqual({ [w.jobB]: BAD_B.length });
    expect(after.uploads).toEqual(before.uploads.filter((id) => id !== w.uploadA.id));
    expect(after.fileA).toBe(false);
    expect(after.fileB).toBe(true);
    expect(after.audits).toBe(before.audits + 1);
    expect(existsSync(warehouseA)).toBe(false);
    expect(existsSync(warehouseB)).toBe(true);
    expect(summary.files).toEqual({ uploads: 1, quarantine_parquet: 1 });
    const [entry] = await w.db.all<{ actor: string; details: string }>(`SELECT actor, details FROM audit_log WHERE action = 'retention.purged'`);
    expect(entry.actor).toBe('q_admin');
    expect(JSON.parse(entry.details)).toMatchObject({ days: 30, tables: { confirmations_quarantine: BAD_A.length, uploads: 1 }, upload_ids: [w.uploadA.id] });
    // Nothing is left to purge: a second purge removes nothing.
    const again = await purgeRetention(w.db, 'q_admin', w.dataDir, { days: 30, dryRun: true });
    expect(again.tables).toEqual({ uploads: 0 });
    expect(again.bytes_freed).toBe(0);
  });
});
