// Replay end to end with real processes: a confirmations upload runs through the dispatcher and
// a worker; a row with side SHORT is quarantined (enum_invalid). An amendment adding SHORT is
// proposed by alice and approved by rita; the dry run counts the row as passing without
// changing anything; the replay promotes it into `confirmations` with lineage to its first job
// and the amendment's hash, marks it replayed (a second replay promotes nothing), moves it out of
// confirmations_quarantine into the replay trail, and audits. Dry run and replay both name the
// open breaks the passing rows touch (by ClOrdID, by order chain, by ExecID).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type OpenDb } from '../../db/open';
import { approveVersion, createDraft, replayCandidates, replayQuarantine, submitVersion } from '../../lib/server/contracts';
import { isApiError } from '../../lib/server/http/api-error';
import { createDispatcher, type Dispatcher } from '../../lib/server/jobs/dispatcher';
import { seedDefaultContracts } from '../../lib/server/jobs/seed-default-contracts';
import { findApprovedContract } from '../../db/jobs/contract-queries';
import { scopeId, type ContractDocument } from '../../lib/contracts';
import { isFinal, uploadFile, waitForJob, type JobsEnv } from '../jobs/job-harness';
import { createCast } from './governance-harness';
import { quarantineRowDetail, rowRef } from '../../lib/server/quarantine/browse-quarantine';

const HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';
function csv(): string {
  const lines = [HEADER];
  for (let i = 1; i <= 11; i++) lines.push(`EX${i},ORD${i},OID${i},AAPL,BUY,${i}00.5,101.25,USD,2024-01-02,2024-01-03,2024-01-02T10:00:00Z,ACC1,BRKA`);
  lines.push('EXS,ORDS,OIDS,MSFT,SHORT,7.25,300.125,USD,2024-01-02,,2024-01-02T10:06:00Z,ACC1,BRKA');
  return lines.join('\n') + '\n';
}

let root = '';
let db: OpenDb;
let dispatcher: Dispatcher;
let env: JobsEnv;

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'wb-gov-replay-'));
  const dataDir = path.join(root, 'data');
  const dbFile = path.join(dataDir, 'workbench.duckdb');
  db = await openDatabase({ file: dbFile, dataDir });
  await createCast(db, { alice: ['author'], rita: ['reviewer'], ana: ['analyst'] });
  env = { root, dataDir, dbFile, migrationsDir: '', db, reopen: async () => db, cleanup: async () => undefined };
  await seedDefaultContracts(db);
  dispatcher = await createDispatcher({ db, dataDir, concurrency: 1, pollMs: 50 });
  await dispatcher.start();
});
afterAll(async () => {
  await dispatcher?.stop();
  await db?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('quarantine replay', () => {
  it('dry run, then promotion with lineage to the first job, once', async () => {
    const upload = await uploadFile(env, csv(), { kind: 'confirmations', filename: 'confirms.csv' });
    const jobId = upload.job_ids[0];
    const job = await waitForJob(db, jobId, isFinal);
    expect(job.status, `${job.error_code}: ${job.error_message}`).toBe('PARTIAL_SUCCESS');
    // The promotion's break detection pass runs after the job is final; the breaks this test
    // writes by hand must come after it, or the pass closes them as no longer holding.
    await dispatcher.breakDetectionIdle();
    const inQuarantine = await db.all<{ side: string; _violation_type: string }>(`SELECT side, _violation_type FROM confirmations_quarantine WHERE _cf_job_id = ?`, [jobId]);
    expect(inQuarantine).toEqual([{ side: 'SHORT', _violation_type: 'enum_invalid' }]);

    // Before the amendment: nothing would pass.
    const before = await replayQuarantine(db, { username: 'alice' }, { output: 'confirmations', jobIds: [jobId], dryRun: true });
    expect(before.jobs[0]).toMatchObject({ candidates: 1, would_pass: 0, still_failing: 1, violations: { enum_invalid: 1 } });

    const current = await findApprovedContract(db, scopeId('confirmations_csv', '1.0.0', 'confirmations'));
    const doc = current!.document as ContractDocument;
    const amended = {
      ...doc,
      columns: doc.columns.map((c) => (c.name === 'side' ? { ...c, type: { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT', 'SHORT'] } } : c)),
    };
    const draft = await createDraft(db, { username: 'alice' }, amended);
    await submitVersion(db, { username: 'alice' }, draft.id, draft.version);
    await approveVersion(db, { username: 'rita' }, draft.id, draft.version, { content_hash: draft.content_hash });

    // Breaks the SHORT row touches: directly by ClOrdID, through its order chain, through our fill
    // with its ExecID; a resolved one and one of another order do not count.
    const brk = (id: string, cls: string, family: string, clOrdId: string | null, session: string | null, chain: string | null, status = 'open') =>
      db.run(
        `INSERT INTO breaks (break_id, class, family, match_key, cl_ord_id, chain_root, session, status, severity, details, evidence, first_seen, last_seen)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'low', '{}', '[]', current_timestamp, current_timestamp)`,
        [id, cls, family, id, clOrdId, chain, session, status],
      );
    await brk('b-direct', 'missing_in_counterparty', 'counterparty', 'ORDS', null, null);
    await brk('b-chain', 'cum_qty_mismatch', 'lifecycle', 'ORDS-1', 'S1', 'ROOT1');
    await brk('b-fill', 'price_mismatch', 'counterparty', null, 'S2', 'ROOT2', 'investigating');
    await brk('b-resolved', 'missing_in_counterparty', 'counterparty', 'ORDS', null, null, 'resolved');
    await brk('b-other', 'missing_in_counterparty', 'counterparty', 'ORD1', null, null);
    await db.run(`INSERT INTO order_chain_members (member_key, session, chain_root, cl_ord_id) VALUES (hash('ORDS'), 'S1', 'ROOT1', 'ORDS'), (hash('ORDS-1'), 'S1', 'ROOT1', 'ORDS-1')`);
    await db.run(
      `INSERT INTO order_fills (chain_key, fill_id, session, chain_root, exec_id, current_exec_id, last_qty, chain_fill_ordinal)
       VALUES (hash('S2|ROOT2'), 'f1', 'S2', 'ROOT2', 'EXS', 'EXS', 7.25, 1)`,
    );

    const countRows = async () => Number((await db.all<{ n: string }>(`SELECT count(*) AS n FROM confirmations WHERE _cf_job_id = ?`, [jobId]))[0].n);
    expect(await countRows()).toBe(11);
    const dry = await replayQuarantine(db, { username: 'alice' }, { output: 'confirmations', jobIds: [jobId], dryRun: true });
    expect(dry).toMatchObject({ dry_run: true, replay_id: null, would_pass: 1, promoted: 0, contract: { version: draft.version, content_hash: draft.content_hash } });
    expect(dry.breaks).toMatchObject({ total: 3, may_close: 1, by_class: { missing_in_counterparty: 1, cum_qty_mismatch: 1, price_mismatch: 1 } });
    expect(dry.breaks.items.map((b) => [b.break_id, b.effect, b.matched_by])).toEqual([
      ['b-direct', 'may_close', 'cl_ord_id'],
      ['b-chain', 'may_change', 'chain'],
      ['b-fill', 'may_change', 'exec_id'],
    ]);
    // Before the amendment no row passes, so no break is touched.
    expect(before.breaks.total).toBe(0);
    expect(await countRows()).toBe(11);

    // Not everyone may replay.
    try {
      await replayQuarantine(db, { username: 'ana' }, { output: 'confirmations', jobIds: [jobId], dryRun: false });
      expect.unreachable();
    } catch (e) {
      expect(isApiError(e) && e.code).toBe('replay.forbidden');
    }

    const scope = { parserId: 'confirmations_csv', parserVersion: '1.0.0', output: 'confirmations' };
    expect(await replayCandidates(db, scope)).toEqual([expect.objectContaining({ job_id: jobId, pending_rows: 1 })]);
    const done = await replayQuarantine(db, { username: 'alice' }, { output: 'confirmations', jobIds: [jobId], dryRun: false });
    expect(done).toMatchObject({ dry_run: false, would_pass: 1, promoted: 1 });
    expect(await countRows()).toBe(12);
    const [row] = await db.all<Record<string, string>>(
      `SELECT side, quantity::VARCHAR AS quantity, price::VARCHAR AS price, settl_date, _cf_job_id, _cf_source_hash, _cf_contract_hash, _cf_parser_version, _cf_source_offset::VARCHAR AS off
       FROM confirmations WHERE exec_id = 'EXS'`,
    );
    expect(row).toMatchObject({
      side: 'SHORT',
      quantity: '7.2500',
      price: '300.12500000',
      settl_date: null,
      _cf_job_id: jobId,
      _cf_source_hash: job.source_sha256,
      _cf_contract_hash: draft.content_hash,
      _cf_parser_version: '1.0.0',
    });
    expect(Number(row.off)).toBeGreaterThan(0);
    const marks = await db.all(`SELECT job_id, replay_id, contract_hash, replayed_by FROM quarantine_replays`);
    expect(marks).toEqual([{ job_id: jobId, replay_id: done.replay_id, contract_hash: draft.content_hash, replayed_by: 'alice' }]);
    const audit = await db.all<{ actor: string; subject: string }>(`SELECT actor, subject FROM audit_log WHERE action = 'quarantine.replayed'`);
    expect(audit).toEqual([{ actor: 'alice', subject: `replay:${done.replay_id}` }]);
    expect(done.breaks.total).toBe(3);

    // Out of open quarantine, kept whole in the replay trail.
    expect(await db.all(`SELECT side FROM confirmations_quarantine WHERE _cf_job_id = ?`, [jobId])).toEqual([]);
    const trail = await db.all<{ job_id: string; replay_id: string; row_json: string }>(`SELECT job_id, replay_id, row_json FROM quarantine_replayed_rows`);
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ job_id: jobId, replay_id: done.replay_id });
    expect(JSON.parse(trail[0].row_json)).toMatchObject({ exec_id: 'EXS', side: 'SHORT', _violation_type: 'enum_invalid', _cf_job_id: jobId });
    // Its detail page still opens (from the trail): replayed, original values, raw bytes.
    const qRow = Number(JSON.parse(trail[0].row_json)._q_row);
    const detail = await quarantineRowDetail(db, 'confirmations', rowRef(jobId, qRow));
    expect(detail).toMatchObject({ job_id: jobId, replayed: { replay_id: done.replay_id, by: 'alice' }, values: { side: 'SHORT' } });
    expect(detail!.violations.map((v) => v.violation_type)).toEqual(['enum_invalid']);
    expect(detail!.raw?.text).toContain('SHORT');

    expect(await replayCandidates(db, scope)).toEqual([]);
    // Replayed once: a second replay finds nothing left to promote.
    const again = await replayQuarantine(db, { username: 'alice' }, { output: 'confirmations', jobIds: [jobId], dryRun: false });
    expect(again).toMatchObject({ would_pass: 0, promoted: 0 });
    expect(again.jobs[0].candidates).toBe(0);
    expect(await countRows()).toBe(12);
  });

  it('moves rows an older replay only marked into the trail the next time their job is replayed', async () => {
    // SHORT is admitted by now: this file's odd row says LONG.
    const upload = await uploadFile(env, csv().replace(/EX/g, 'LG').replace('SHORT', 'LONG'), { kind: 'confirmations', filename: 'legacy.csv' });
    const jobId = upload.job_ids[0];
    expect((await waitForJob(db, jobId, isFinal)).status).toBe('PARTIAL_SUCCESS');
    const [q] = await db.all<{ q: string }>(`SELECT _q_row::VARCHAR AS q FROM confirmations_quarantine WHERE _cf_job_id = ?`, [jobId]);
    // What a replay did before rows left quarantine: mark only.
    await db.run(
      `INSERT INTO quarantine_replays (job_id, output, q_row, replay_id, contract_id, contract_version, contract_hash, replayed_by) VALUES (?, 'confirmations', ?, 'old-replay', 'c', 1, 'h', 'alice')`,
      [jobId, q.q],
    );
    const r = await replayQuarantine(db, { username: 'alice' }, { output: 'confirmations', jobIds: [jobId], dryRun: false });
    expect(r).toMatchObject({ promoted: 0, would_pass: 0 });
    expect(await db.all(`SELECT 1 FROM confirmations_quarantine WHERE _cf_job_id = ?`, [jobId])).toEqual([]);
    const trail = await db.all<{ replay_id: string; row_json: string }>(`SELECT replay_id, row_json FROM quarantine_replayed_rows WHERE job_id = ?`, [jobId]);
    expect(trail.map((t) => [t.replay_id, JSON.parse(t.row_json).exec_id])).toEqual([['old-replay', 'LGS']]);
  });
});
