// A job whose parser has no approved contract waits in AWAITING_CONTRACT, whatever the
// dispatcher does, and runs as soon as the contracts are approved (here: the demo seeding,
// proposed by `author`, approved by `reviewer`).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getJob } from '../../db/jobs/job-queries';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { isFinal, openJobsEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';

/** `good` valid confirmations, then `bad` whose quantity is not a number. */
function confirmationsCsv(good: number, bad: number): string {
  const lines = [HEADER];
  for (let i = 1; i <= good; i++) {
    lines.push(`EX${i},ORD${i},OID${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  }
  for (let i = 1; i <= bad; i++) {
    lines.push(`BAD${i},ORDB${i},OIDB${i},MSFT,SELL,abc,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA`);
  }
  return lines.join('\n') + '\n';
}

describe('AWAITING_CONTRACT', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeEach(async () => {
    env = await openJobsEnv();
    dispatcher = await createDispatcher({ db: env.db, dataDir: env.dataDir, concurrency: 1, pollMs: 50 });
    await dispatcher.start();
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('waits without an approved contract and runs once one is approved', async () => {
    const upload = await uploadFile(env, confirmationsCsv(11, 1), { kind: 'confirmations', filename: 'confirms.csv' });
    const jobId = upload.job_ids[0];
    expect((await getJob(env.db, jobId))?.status).toBe('AWAITING_CONTRACT');
    // The dispatcher polls; the job stays put (several poll rounds, no worker started).
    let spawned = 0;
    dispatcher.events.on('spawned', () => spawned++);
    await new Promise((r) => setTimeout(r, 300));
    expect((await getJob(env.db, jobId))?.status).toBe('AWAITING_CONTRACT');
    expect(spawned).toBe(0);

    const seeded = await seedDefaultContracts(env.db);
    expect(seeded.map((s) => s.output)).toContain('confirmations');
    const job = await waitForJob(env.db, jobId, isFinal);
    expect(job.status, `${job.error_code}: ${job.error_message}`).toBe('PARTIAL_SUCCESS');
    expect(job.contracts?.confirmations).toMatchObject({ version: 1 });

    const rows = await env.db.all<{ exec_id: string; quantity: string; price: string }>(
      `SELECT exec_id, quantity::VARCHAR AS quantity, price::VARCHAR AS price FROM confirmations WHERE _cf_job_id = ? ORDER BY _cf_source_offset`,
      [jobId],
    );
    expect(rows).toHaveLength(11);
    expect(rows[1]).toEqual({ exec_id: 'EX2', quantity: '200.5000', price: '101.25000000' });
    const q = await env.db.all<{ exec_id: string; quantity: string; _violation_type: string }>(
      `SELECT exec_id, quantity, _violation_type FROM confirmations_quarantine WHERE _cf_job_id = ?`,
      [jobId],
    );
    expect(q).toEqual([{ exec_id: 'BAD1', quantity: 'abc', _violation_type: 'type_mismatch' }]);

    const audit = await env.db.all<{ actor: string; action: string }>(
      `SELECT actor, action FROM audit_log WHERE action LIKE 'contract.%' OR subject = ? ORDER BY seq`,
      [`job:${jobId}`],
    );
    const contractSteps = audit.filter((a) => a.action.startsWith('contract.'));
    expect(contractSteps.filter((a) => a.action === 'contract.approved').every((a) => a.actor === 'reviewer')).toBe(true);
    expect(contractSteps.filter((a) => a.action === 'contract.proposed').every((a) => a.actor === 'author')).toBe(true);
    expect(audit.filter((a) => !a.action.startsWith('contract.')).map((a) => a.action)).toEqual([
      'job.enqueued',
      'job.released',
      'job.promoted',
    ]);
  });

  it('promotes nothing of a FAILED job (quarantine over the policy limit)', async () => {
    await seedDefaultContracts(env.db);
    const upload = await uploadFile(env, confirmationsCsv(2, 1), { kind: 'confirmations', filename: 'bad.csv' });
    const jobId = upload.job_ids[0];
    const job = await waitForJob(env.db, jobId, isFinal);
    expect(job.status).toBe('FAILED');
    expect(job.error_code).toBe('job.output_failed');
    expect(job.promoted_at).toBeNull();
    const tables = await env.db.all<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'confirmations%' ORDER BY 1`,
    );
    for (const t of tables) {
      const n = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM "${t.table_name}" WHERE _cf_job_id = ?`, [jobId]);
      expect(Number(n[0].n)).toBe(0);
    }
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM parse_errors WHERE job_id = ?`, [jobId]))[0].n)).toBe(0);
    const outputs = await env.db.all<{ status: string; promoted: boolean; quarantine_rows: string }>(
      `SELECT status, promoted, quarantine_rows FROM job_outputs WHERE job_id = ?`,
      [jobId],
    );
    expect(outputs).toEqual([{ status: 'FAILED', promoted: false, quarantine_rows: '1' }]);
  });

  it('seeding twice approves nothing new', async () => {
    const first = await seedDefaultContracts(env.db);
    expect(first.length).toBeGreaterThanOrEqual(3);
    expect(await seedDefaultContracts(env.db)).toEqual([]);
    const versions = await env.db.all<{ status: string; author: string; approved_by: string }>(
      `SELECT status, author, approved_by FROM contract_versions`,
    );
    expect(versions.every((v) => v.status === 'approved' && v.author === 'author' && v.approved_by === 'reviewer')).toBe(true);
  });
});
