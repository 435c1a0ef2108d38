// The quarantine settings cascade through real jobs (dispatcher + worker processes, a real DuckDB
// file): a contract that inherits allow_quarantine takes it from the global setting; changing
// the global setting changes what the next job may quarantine; a per-upload override by a user
// with the right wins over both; each job records every value with its source. Claiming a job
// also records the observed schema of its outputs, and approval of a version the observed data
// contradicts is refused, naming the job.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findApprovedContract } from '../../db/jobs/contract-queries';
import { openDatabase, type OpenDb } from '../../db/open';
import { scopeId, type ContractDocument } from '../../lib/contracts';
import { approvalBlockFor, approveVersion, createDraft, submitVersion } from '../../lib/server/contracts';
import { isApiError } from '../../lib/server/http/api-error';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { enqueueJobsForUpload } from '../../lib/server/jobs/enqueue-jobs';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { quarantineSettingsOfJob, readGlobalSetting, setGlobalSetting } from '../../lib/server/quarantine-settings';
import { handleUpload } from '../../lib/server/uploads/handle-upload';
import { isFinal, waitForJob } from '../jobs/job-harness';
import { createCast } from './governance-harness';

const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';
/** 12 rows, one of them quarantined (side SHORT): 8.3 % of the output. */
function csv(tag: string): string {
  const lines = [HEADER];
  for (let i = 1; i <= 11; i++) lines.push(`${tag}${i},ORD${i},OID${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  lines.push(`${tag}S,ORDS,OIDS,MSFT,SHORT,7.25,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA`);
  return lines.join('\n') + '\n';
}

let root = '';
let dataDir = '';
let db: OpenDb;
let dispatcher: Dispatcher;
const SCOPE = scopeId('confirmations_csv', '1.0.0', 'confirmations');

async function upload(content: string, user: { username: string; roles: string[] }, query = ''): Promise<string> {
  const body = Readable.toWeb(Readable.from([Buffer.from(content)])) as ReadableStream<Uint8Array>;
  const req = new Request(`http://localhost/api/uploads?kind=confirmations&filename=c.csv${query}`, { method: 'POST', body, duplex: 'half' } as RequestInit);
  const res = await handleUpload(req, user as never, { db, enqueueJobs: enqueueJobsForUpload, dataDir });
  return res.job_ids[0];
}

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'wb-gov-settings-'));
  dataDir = path.join(root, 'data');
  db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir });
  await createCast(db, { alice: ['author'], rita: ['reviewer'], adam: ['admin'], olga: ['ops'] });
  await seedDefaultContracts(db);
  // v2: allow_quarantine left to the cascade; 10 % and no count limit stated by the contract.
  const current = await findApprovedContract(db, SCOPE);
  const doc = current!.document as ContractDocument;
  const draft = await createDraft(db, { username: 'alice' }, { ...doc, quarantine: { ...doc.quarantine, max_quarantine_pct: 10 }, quarantine_inherit: ['allow_quarantine'] });
  await submitVersion(db, { username: 'alice' }, draft.id, draft.version);
  await approveVersion(db, { username: 'rita' }, draft.id, draft.version, { content_hash: draft.content_hash });
  dispatcher = await createDispatcher({ db, dataDir, concurrency: 1, pollMs: 50 });
  await dispatcher.start();
});
afterAll(async () => {
  await dispatcher?.stop();
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

const sources = async (jobId: string) => {
  const s = await quarantineSettingsOfJob(db, jobId);
  const o = s!.find((x) => x.output === 'confirmations')!;
  expect(o.recorded).toBe(true);
  return Object.fromEntries(Object.entries(o.resolved.values).map(([k, v]) => [k, [v.value, v.source]]));
};

describe('quarantine settings cascade through jobs', () => {
  it('only a user holding quarantine.settings changes the global setting, audited', async () => {
    for (const who of ['alice', 'olga', 'rita']) {
      await expect(setGlobalSetting(db, { username: who }, { allow_quarantine: true })).rejects.toMatchObject({ code: 'auth.forbidden', status: 403 });
    }
    await expect(setGlobalSetting(db, { username: 'adam' }, { allow_quarantine: 'yes' })).rejects.toMatchObject({ code: 'quarantine.settings_invalid' });
    const set = await setGlobalSetting(db, { username: 'adam' }, { allow_quarantine: true, max_quarantine_pct: 50 });
    expect(set).toMatchObject({ policy: { allow_quarantine: true, max_quarantine_pct: 50 }, set_by: 'adam' });
    expect((await readGlobalSetting(db)).policy).toEqual({ allow_quarantine: true, max_quarantine_pct: 50 });
    const audit = await db.all<{ actor: string; details: string }>(`SELECT actor, details FROM audit_log WHERE action = 'quarantine.settings_changed'`);
    expect(audit.map((a) => a.actor)).toEqual(['adam']);
  });

  it('each layer decides what it sets: global, then contract, then the upload override', async () => {
    // Global allows quarantine; the contract's 10 % wins over the global 50 %.
    const a = await upload(csv('A'), { username: 'olga', roles: ['ops'] });
    const ja = await waitForJob(db, a, isFinal);
    expect(ja.status, `${ja.error_code}: ${ja.error_message}`).toBe('PARTIAL_SUCCESS');
    expect(await sources(a)).toEqual({
      allow_quarantine: [true, 'global'],
      max_quarantine_pct: [10, 'contract'],
      max_quarantine_count: [null, 'contract'],
    });

    // Global now refuses quarantine: the same kind of file fails.
    await setGlobalSetting(db, { username: 'adam' }, { allow_quarantine: false });
    const b = await upload(csv('B'), { username: 'olga', roles: ['ops'] });
    const jb = await waitForJob(db, b, isFinal);
    expect(jb.status).toBe('FAILED');
    expect((await sources(b)).allow_quarantine).toEqual([false, 'global']);

    // An override by a user holding quarantine.override wins for that upload only.
    const c = await upload(csv('C'), { username: 'olga', roles: ['ops'] }, '&override_allow_quarantine=true&override_max_quarantine_count=5');
    const jc = await waitForJob(db, c, isFinal);
    expect(jc.status).toBe('PARTIAL_SUCCESS');
    expect(await sources(c)).toEqual({
      allow_quarantine: [true, 'upload_override'],
      max_quarantine_pct: [10, 'contract'],
      max_quarantine_count: [5, 'upload_override'],
    });
    const overrideAudit = await db.all(`SELECT actor FROM audit_log WHERE action = 'quarantine.override_set'`);
    expect(overrideAudit).toEqual([{ actor: 'olga' }]);

    // Without the right the upload is refused before anything is stored.
    const before = await db.all<{ n: string }>(`SELECT count(*) AS n FROM uploads`);
    await expect(upload(csv('D'), { username: 'alice', roles: ['author'] }, '&override_allow_quarantine=true')).rejects.toMatchObject({ code: 'quarantine.override_forbidden', status: 403 });
    expect(await db.all(`SELECT count(*) AS n FROM uploads`)).toEqual(before);
  });

  it('records the observed schema of each job and blocks approval of a version the data contradicts', async () => {
    const observed = await db.all<{ job_id: string; basis: string; sample_rows: string; failing_rows: string }>(
      `SELECT job_id, basis, sample_rows, failing_rows FROM job_observed_schemas WHERE scope_id = ? ORDER BY recorded_at`,
      [SCOPE],
    );
    expect(observed.length).toBe(3);
    // 11 of 12 rows pass: the SHORT row is a value error, not evidence against the contract's types.
    for (const o of observed) expect(o).toMatchObject({ basis: 'passing_rows', sample_rows: '12', failing_rows: '1' });

    const current = await findApprovedContract(db, SCOPE);
    const doc = current!.document as ContractDocument;
    // Quantities like 100.5 do not fit a scale of 0: a type mismatch against every job's data.
    const narrowed = { ...doc, columns: doc.columns.map((c) => (c.name === 'quantity' ? { ...c, type: { kind: 'decimal', precision: 18, scale: 0 } } : c)) };
    const draft = await createDraft(db, { username: 'alice' }, narrowed);
    await submitVersion(db, { username: 'alice' }, draft.id, draft.version);
    const block = await approvalBlockFor(db, SCOPE, narrowed as ContractDocument);
    expect(block.blocked).toBe(true);
    expect(block.checks.filter((c) => c.blocking).map((c) => c.source).sort()).toEqual(observed.map((o) => `job:${o.job_id}`).sort());
    try {
      await approveVersion(db, { username: 'rita' }, draft.id, draft.version, { content_hash: draft.content_hash });
      expect.unreachable();
    } catch (e) {
      expect(isApiError(e) && e.code).toBe('contract.type_mismatch');
      expect((e as Error).message).toContain(`job:${observed[0].job_id}`);
      expect((e as Error).message).toContain('quantity');
    }
    // The version in force fits the data: nothing blocks it.
    expect((await approvalBlockFor(db, SCOPE, doc)).blocked).toBe(false);
  });
});
