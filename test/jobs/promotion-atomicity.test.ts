// Promotion is all or nothing: a promotion the database refuses part-way leaves no row of the
// job anywhere; a crash after the commit but before the directory renames is rolled forward at
// start-up; orphaned staging directories are removed.
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dispatcher } from '../../lib/server/jobs/dispatcher';
import { recoverOnStart } from '../../lib/server/jobs/recover-on-start';
import { buildFixLog } from './fix-fixture';
import { isFinal, nextRelease, openDispatcherEnv, uploadFile, waitForJob, type JobsEnv } from './job-harness';

describe('promotion atomicity', () => {
  let env: JobsEnv;
  let dispatcher: Dispatcher;

  beforeEach(async () => {
    ({ env, dispatcher } = await openDispatcherEnv({ concurrency: 1, pollMs: 100 }));
  });

  afterEach(async () => {
    await dispatcher?.stop();
    await env?.cleanup();
  });

  it('rolls back the whole promotion when one output cannot be loaded', async () => {
    // fix_session_events exists with a column typed differently from the approved contract:
    // fix_order_events is loaded first in the transaction, then the session output is refused.
    await env.db.run(`CREATE TABLE fix_session_events (msg_seq_num VARCHAR, _cf_job_id VARCHAR)`);
    const released = nextRelease(dispatcher.events);
    await dispatcher.start();
    const upload = await uploadFile(env, buildFixLog({ orders: 5 }), { kind: 'fix', filename: 'conflict.fix' });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    await released; // staging is discarded after the FAILED job's transaction
    expect(job.status).toBe('FAILED');
    expect(job.error_code).toBe('promotion.schema_conflict');
    expect(job.error_message).toContain('msg_seq_num');
    const orderTable = await env.db.all(`SELECT table_name FROM information_schema.tables WHERE table_name = 'fix_order_events'`);
    expect(orderTable).toEqual([]);
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM parse_errors`))[0].n)).toBe(0);
    expect(existsSync(path.join(env.dataDir, 'staging', job.id))).toBe(false);
    expect(existsSync(path.join(env.dataDir, 'warehouse', 'fix_order_events', `job=${job.id}`))).toBe(false);
  });

  it('finishes the renames of a committed promotion at start-up and removes orphaned staging', async () => {
    await dispatcher.start();
    const upload = await uploadFile(env, buildFixLog({ orders: 5 }), { kind: 'fix', filename: 'ok.fix' });
    const job = await waitForJob(env.db, upload.job_ids[0], isFinal);
    expect(job.status).toBe('SUCCESS');
    await dispatcher.stop();

    // A crash after COMMIT, after the first rename: one output is in the warehouse, one still staged.
    const staging = path.join(env.dataDir, 'staging', job.id);
    mkdirSync(staging, { recursive: true });
    renameSync(path.join(env.dataDir, 'warehouse', 'fix_session_events', `job=${job.id}`), path.join(staging, 'fix_session_events'));
    // Leftovers of other crashes: a half-written attempt of a job that never committed, and junk.
    const orphan = path.join(env.dataDir, 'staging', '11111111-2222-4333-8444-555555555555', 'fix_order_events');
    mkdirSync(orphan, { recursive: true });
    writeFileSync(path.join(orphan, 'valid.parquet.tmp'), 'partial');
    mkdirSync(path.join(env.dataDir, 'staging', 'not-a-job'), { recursive: true });

    const recovery = await recoverOnStart(env.db, env.dataDir);
    expect(recovery.rolledForward).toEqual([job.id]);
    expect(recovery.requeued).toEqual([]);
    expect(recovery.removedStaging.sort()).toEqual(['11111111-2222-4333-8444-555555555555', 'not-a-job']);
    expect(readdirSync(path.join(env.dataDir, 'staging'))).toEqual([]);
    expect(readdirSync(path.join(env.dataDir, 'warehouse', 'fix_session_events', `job=${job.id}`)).sort()).toEqual(['manifest.json', 'valid.parquet']);
    expect(existsSync(path.join(env.dataDir, 'warehouse', 'fix_order_events', `job=${job.id}`, 'valid.parquet'))).toBe(true);
    // The database was already in the new state and is unchanged.
    expect(Number((await env.db.all<{ n: string }>(`SELECT count(*) AS n FROM fix_order_events WHERE _cf_job_id = ?`, [job.id]))[0].n)).toBe(15);
  });
});
