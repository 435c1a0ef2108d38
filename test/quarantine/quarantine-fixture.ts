// Two confirmations uploads run through the real dispatcher and worker processes into a DuckDB
// file in a temp data dir (the process-wide getDb(), so route handlers see the same data). Upload
// A holds three bad rows (one with a formula-looking symbol, one with two violations), upload B
// two. A user per role with a session cookie, for calling the route handlers as each role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OpenDb } from '../../db/open';
import { ROLES, type Role } from '../../lib/server/permissions';
import { isFinal, uploadFile, waitForJob, type JobsEnv } from '../jobs/job-harness';

export const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';

function good(prefix: string, n: number): string[] {
  const out = [];
  for (let i = 1; i <= n; i++) out.push(`${prefix}${i},ORD${prefix}${i},OID${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  return out;
}

export const BAD_A = [
  'EXA-SHORT,ORDAS,OIDAS,MSFT,SHORT,7.25,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA',
  'EXA-FORMULA,ORDAF,OIDAF,=1+2,SHORT,8,300.125,USD,2024-01-02,,2024-01-02T10:07:00Z,ACC1,BRKA',
  'EXA-TWO,ORDAT,OIDAT,IBM,SHORT,lots,300.125,USD,2024-01-02,,2024-01-02T10:08:00Z,ACC1,BRKA',
];
export const BAD_B = [
  'EXB-QTY,ORDBQ,OIDBQ,IBM,BUY,lots,12.5,USD,2024-01-02,,2024-01-02T11:00:00Z,ACC2,BRKB',
  'EXB-SHORT,ORDBS,OIDBS,IBM,SHORT,3,12.5,USD,2024-01-02,,2024-01-02T11:01:00Z,ACC2,BRKB',
];

export const FILE_A = [HEADER, ...good('EXA', 15), BAD_A[0], ...good('EXA', 30).slice(15), BAD_A[1], BAD_A[2]].join('\n') + '\n';
export const FILE_B = [HEADER, ...good('EXB', 20), ...BAD_B].join('\n') + '\n';

export interface QuarantineWorld {
  db: OpenDb;
  root: string;
  dataDir: string;
  jobA: string;
  jobB: string;
  uploadA: { id: string; sha256: string };
  uploadB: { id: string; sha256: string };
  cookies: Record<Role, string>;
  close(): Promise<void>;
}

export async function openQuarantineWorld(prefix: string): Promise<QuarantineWorld> {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  const dataDir = path.join(root, 'data');
  process.env.DATA_DIR = dataDir;
  const open = await import('../../db/open');
  const db = (await open.getDb()) as OpenDb;
  const { createUser } = await import('../../lib/server/auth/users');
  const { createSession } = await import('../../lib/server/auth/sessions');
  const { seedDefaultContracts } = await import('../../lib/server/jobs/seed-default-contracts');
  const { createDispatcher } = await import('../../lib/server/jobs/dispatcher');
  const cookies = {} as Record<Role, string>;
  for (const role of ROLES) {
    await createUser(db, { username: `q_${role}`, password: 'quarantine-test-pw', roles: [role], actor: 'test' });
    cookies[role] = `wb_session=${(await createSession(db, `q_${role}`)).token}`;
  }
  await seedDefaultContracts(db);
  const dispatcher = await createDispatcher({ db, dataDir, concurrency: 1, pollMs: 50 });
  await dispatcher.start();
  const env: JobsEnv = { root, dataDir, dbFile: '', migrationsDir: '', db, reopen: async () => db, cleanup: async () => undefined };
  try {
    const a = await uploadFile(env, FILE_A, { kind: 'confirmations', filename: 'desk-a confirms.csv' });
    const b = await uploadFile(env, FILE_B, { kind: 'confirmations', filename: 'desk-b.csv' });
    for (const id of [a.job_ids[0], b.job_ids[0]]) {
      const job = await waitForJob(db, id, isFinal);
      if (job.status !== 'PARTIAL_SUCCESS') throw new Error(`job ${id}: ${job.status} ${job.error_code} ${job.error_message}`);
    }
    const ups = await db.all<{ id: string; sha256: string; original_name: string }>(`SELECT id, sha256, original_name FROM uploads ORDER BY original_name`);
    return {
      db,
      root,
      dataDir,
      jobA: a.job_ids[0],
      jobB: b.job_ids[0],
      uploadA: { id: ups[0].id, sha256: ups[0].sha256 },
      uploadB: { id: ups[1].id, sha256: ups[1].sha256 },
      cookies,
      async close() {
        await open.closeDb();
        rmSync(root, { recursive: true, force: true });
      },
    };
  } finally {
    await dispatcher.stop();
  }
}

/** A GET/POST to a route handler as a role (or anonymous). */
export function asRole(cookie: string | null, url: string, init: { method?: string; body?: unknown } = {}): Request {
  const headers: Record<string, string> = { host: 'workbench.test' };
  if (cookie) headers.cookie = cookie;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return new Request(`http://workbench.test${url}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
}
