// Upload → job → worker process → promotion → query, end to end on a real DuckDB file with a
// real worker process (worker/main.ts forked with tsx), as the server runs it.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listJobOutputs } from '../../db/jobs/promotion-queries';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { jobDetailView } from '../../lib/server/jobs/job-views';
import { buildFixLog } from './fix-fixture';
import { isFinal, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

describe('upload → job → promotion', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeAll(async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 2, pollMs: 100, retryBaseMs: 50 }));
    await dispatcher.start();
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('promotes valid rows, quarantined rows and parse errors of a FIX upload, with lineage', async () => {
    const upload = await uploadFile(env, buildFixLog({ orders: 40, badPriceEvery: 20, garbledLines: 1 }), { kind: 'fix', filename: 'day1.fix' });
    expect(upload.job_ids).toHaveLength(1);
    const jobId = upload.job_ids[0];
    const job = await waitForJob(env.db, jobId, isFinal);
    expect(job.error_code, job.error_message ?? '').toBeNull();
    expect(job.status).toBe('PARTIAL_SUCCESS');
    expect(job.attempts).toBe(1);

    const orders = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM fix_order_events WHERE _cf_job_id = ?`, [jobId]);
    // 40 orders × 3 messages, 2 of the NewOrderSingles quarantined for their price.
    expect(Number(orders[0].n)).toBe(118);
    const quarantined = await env.db.all<{ cl_ord_id: string; price: string; _violation_type: string; _source_row: string }>(
      `SELECT cl_ord_id, price, _violation_type, _source_row FROM fix_order_events_quarantine WHERE _cf_job_id = ? ORDER BY _q_row`,
      [jobId],
    );
    expect(quarantined.map((q) => [q.cl_ord_id, q.price])).toEqual([['ORD0', '1.2.3'], ['ORD20', '1.2.3']]);
    expect(quarantined[0]._source_row).not.toBeNull();
    const sessions = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM fix_session_events WHERE _cf_job_id = ?`, [jobId]);
    expect(Number(sessions[0].n)).toBe(1);
    const parseErrors = await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM parse_errors WHERE job_id = ?`, [jobId]);
    expect(Number(parseErrors[0].n)).toBeGreaterThan(0);

    // Typed and with lineage: exact decimals, the upload's sha256, the approved contract's hash.
    const row = await env.db.all<Record<string, string>>(
      `SELECT price::VARCHAR AS price, _cf_source_hash, _cf_contract_hash, _cf_parser_version, typeof(price) AS t
       FROM fix_order_events WHERE _cf_job_id = ? AND cl_ord_id = 'ORD1' AND msg_type = 'D'`,
      [jobId],
    );
    expect(row[0]).toMatchObject({ price: '101.2500000000', _cf_source_hash: upload.sha256, t: 'DECIMAL(24,10)' });
    const outputs = await listJobOutputs(env.db, jobId);
    const orderOutput = outputs.find((o) => o.output === 'fix_order_events')!;
    expect(row[0]._cf_contract_hash).toBe(orderOutput.contract_hash);
    expect(orderOutput).toMatchObject({ status: 'PARTIAL_SUCCESS', rows: 118, quarantine_rows: 2, promoted: true });

    // The staging directory became the warehouse partition; nothing is left in staging.
    expect(existsSync(path.join(env.dataDir, 'staging', jobId))).toBe(false);
    for (const f of orderOutput.files) expect(existsSync(path.join(env.dataDir, f)), f).toBe(true);
    expect(readdirSync(path.join(env.dataDir, 'warehouse', 'fix_order_events', `job=${jobId}`)).sort()).toEqual(
      ['manifest.json', 'quarantine.parquet', 'valid.parquet'],
    );

    const view = await jobDetailView(env.db, jobId);
    expect(view).toMatchObject({ id: jobId, status: 'PARTIAL_SUCCESS', parser: { id: 'fix', version: expect.any(String) }, error: null });
    expect(view!.outputs.map((o) => o.name).sort()).toEqual(['fix_order_events', 'fix_session_events']);
    expect(view!.quarantine_pct).toBeGreaterThan(0);

    const audit = await env.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE subject = ? ORDER BY seq`, [`job:${jobId}`]);
    expect(audit.map((a) => a.action)).toEqual(['job.enqueued', 'job.promoted']);
    expect((await verifyAuditChain(env.db)).ok).toBe(true);
  });

  it('links the same bytes uploaded again to the first job', async () => {
    const content = buildFixLog({ orders: 3 });
    const first = await uploadFile(env, content, { kind: 'fix', filename: 'a.fix' });
    const second = await uploadFile(env, content, { kind: 'fix', filename: 'b.fix' });
    expect(second.job_ids).toEqual(first.job_ids);
    await waitForJob(env.db, first.job_ids[0], isFinal);
  });
});
