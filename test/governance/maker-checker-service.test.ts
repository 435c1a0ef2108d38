// The maker-checker matrix through the service layer, against a real DuckDB: author, editor,
// other reviewer, analyst and admin × submit / approve / reject × every state of a version.
// Plus the rules around it: the hash binding, rejection comments, roles held now, staleness,
// the type-mismatch block, audit entries in the same transaction, release of waiting jobs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { approveVersion, createDraft, draftFromObserved, editDraft, rejectVersion, submitVersion } from '../../lib/server/contracts';
import { isApiError } from '../../lib/server/http/api-error';
import { inferObservedSchema } from '../../lib/pipeline/observed-schema';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import { ACTIONS, ACTORS, STATES, confirmationsDoc, expected, openGovEnv, type Action, type ActorName, type GovEnv, type State } from './governance-harness';

let env: GovEnv;
let seq = 0;

beforeAll(async () => {
  env = await openGovEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isApiError(e)) return e.code;
    throw e;
  }
}

/** A version of the confirmations contract authored by alice, edited by eddie, brought to `state`. */
async function versionIn(state: State): Promise<{ id: string; version: number; hash: string }> {
  const tag = `s${seq++}`;
  const created = await createDraft(env.db, { username: 'alice' }, confirmationsDoc(tag));
  const edited = await editDraft(env.db, { username: 'eddie' }, created.id, created.version, confirmationsDoc(`${tag}-edited`));
  const v = { id: created.id, version: created.version, hash: edited.content_hash };
  if (state === 'draft') return v;
  await submitVersion(env.db, { username: 'alice' }, v.id, v.version);
  if (state === 'submitted') return v;
  if (state === 'rejected') {
    await rejectVersion(env.db, { username: 'rita' }, v.id, v.version, { comment: 'no' });
    return v;
  }
  await approveVersion(env.db, { username: 'rita' }, v.id, v.version, { content_hash: v.hash });
  if (state === 'approved') return v;
  const next = await createDraft(env.db, { username: 'alice' }, confirmationsDoc(`${tag}-next`));
  await submitVersion(env.db, { username: 'alice' }, next.id, next.version);
  await approveVersion(env.db, { username: 'rita' }, next.id, next.version, { content_hash: next.content_hash });
  return v;
}

async function statusOf(id: string, version: number): Promise<string> {
  const rows = await env.db.all<{ status: string }>('SELECT status FROM contract_versions WHERE contract_id = ? AND version = ?', [id, version]);
  return rows[0].status;
}

function act(actor: ActorName, action: Action, v: { id: string; version: number; hash: string }): Promise<unknown> {
  const who = { username: actor };
  if (action === 'submit') return submitVersion(env.db, who, v.id, v.version);
  if (action === 'approve') return approveVersion(env.db, who, v.id, v.version, { content_hash: v.hash, comment: 'looks right' });
  return rejectVersion(env.db, who, v.id, v.version, { comment: 'not like this' });
}

const AFTER: Record<Action, string> = { submit: 'submitted', approve: 'approved', reject: 'rejected' };

describe('maker-checker matrix (service layer)', () => {
  for (const state of STATES) {
    it(`every actor × action on a ${state} version`, async () => {
      for (const actor of ACTORS) {
        for (const action of ACTIONS) {
          const v = await versionIn(state);
          const want = expected(actor, action, state, 'service');
          const got = await code(act(actor, action, v));
          expect(got, `${actor} ${action} ${state}`).toBe(want.code);
          expect(await statusOf(v.id, v.version), `${actor} ${action} ${state}: status after`).toBe(want.code === 'ok' ? AFTER[action] : state);
        }
      }
    });
  }

  it('an approval records the reviewer and exact hash, supersedes the previous version, and is audited', async () => {
    const first = await versionIn('approved');
    const second = await versionIn('submitted');
    await approveVersion(env.db, { username: 'rita' }, second.id, second.version, { content_hash: second.hash, comment: 'ok' });
    expect(await statusOf(first.id, first.version)).toBe('superseded');
    const approvals = await env.db.all<{ reviewer: string; content_hash: string; decision: string }>(
      'SELECT reviewer, content_hash, decision FROM contract_approvals WHERE contract_id = ? AND version = ?',
      [second.id, second.version],
    );
    expect(approvals).toEqual([{ reviewer: 'rita', content_hash: second.hash, decision: 'approved' }]);
    const audit = await env.db.all<{ actor: string; action: string }>('SELECT actor, action FROM audit_log WHERE subject = ? ORDER BY seq', [
      `contract:${second.id}@${second.version}`,
    ]);
    expect(audit).toEqual([
      { actor: 'alice', action: 'contract.proposed' },
      { actor: 'eddie', action: 'contract.edited' },
      { actor: 'alice', action: 'contract.submitted' },
      { actor: 'rita', action: 'contract.approved' },
    ]);
    expect((await verifyAuditChain(env.db)).ok).toBe(true);
  });

  it('binds to the content hash: a stale or wrong hash is 409 contract.hash_mismatch and nothing changes', async () => {
    const created = await createDraft(env.db, { username: 'alice' }, confirmationsDoc(`h${seq++}`));
    const readByReviewer = created.content_hash;
    const edited = await editDraft(env.db, { username: 'alice' }, created.id, created.version, confirmationsDoc(`h${seq++}`));
    await submitVersion(env.db, { username: 'alice' }, created.id, created.version);
    expect(await code(approveVersion(env.db, { username: 'rita' }, created.id, created.version, { content_hash: readByReviewer }))).toBe('contract.hash_mismatch');
    expect(await code(approveVersion(env.db, { username: 'rita' }, created.id, created.version, { content_hash: '0'.repeat(64) }))).toBe('contract.hash_mismatch');
    expect(await statusOf(created.id, created.version)).toBe('submitted');
    expect(await code(approveVersion(env.db, { username: 'rita' }, created.id, created.version, { content_hash: edited.content_hash }))).toBe('ok');
  });

  it('a submitted version is immutable; edits of drafts are validated and record the editor', async () => {
    const v = await versionIn('submitted');
    expect(await code(editDraft(env.db, { username: 'alice' }, v.id, v.version, confirmationsDoc('late')))).toBe('contract.not_draft');
    const d = await createDraft(env.db, { username: 'alice' }, confirmationsDoc(`e${seq++}`));
    const bad = { ...confirmationsDoc('bad'), columns: [{ name: 'x', type: { kind: 'timestamp_tz', tz: 'Mars/Olympus' }, nullable: true }] };
    try {
      await editDraft(env.db, { username: 'eddie' }, d.id, d.version, bad);
      expect.unreachable();
    } catch (e) {
      expect(isApiError(e) && e.code).toBe('contract.invalid');
      expect((e as { details: { code: string }[] }).details.map((p) => p.code)).toContain('contract.unknown_zone');
    }
    expect(await code(editDraft(env.db, { username: 'eddie' }, d.id, d.version, { ...confirmationsDoc('x'), output: 'fix_order_events' }))).toBe('contract.unknown_scope');
    expect(await code(editDraft(env.db, { username: 'rita' }, d.id, d.version, confirmationsDoc('x')))).toBe('contract.not_author');
    const e = await editDraft(env.db, { username: 'eddie' }, d.id, d.version, confirmationsDoc(`e${seq++}`));
    expect(e.editors).toEqual(['eddie']);
    // The author editing their own draft is not an "editor"; nobody is listed twice.
    const again = await editDraft(env.db, { username: 'eddie' }, d.id, d.version, confirmationsDoc(`e${seq++}`));
    const own = await editDraft(env.db, { username: 'alice' }, d.id, d.version, confirmationsDoc(`e${seq++}`));
    expect(again.editors).toEqual(['eddie']);
    expect(own.editors).toEqual(['eddie']);
  });

  it('rejection needs a comment', async () => {
    const v = await versionIn('submitted');
    expect(await code(rejectVersion(env.db, { username: 'rita' }, v.id, v.version, { comment: '   ' }))).toBe('contract.comment_required');
    expect(await statusOf(v.id, v.version)).toBe('submitted');
  });

  it('the reviewer role counts as held now: a reviewer who lost it cannot approve', async () => {
    const v = await versionIn('submitted');
    await env.db.run(`INSERT INTO users (username, password_hash) VALUES ('rory', 'x')`);
    await env.db.run(`INSERT INTO user_roles (username, role) VALUES ('rory', 'reviewer')`);
    await env.db.run(`DELETE FROM user_roles WHERE username = 'rory'`);
    expect(await code(approveVersion(env.db, { username: 'rory' }, v.id, v.version, { content_hash: v.hash }))).toBe('contract.not_reviewer');
    await env.db.run(`INSERT INTO user_roles (username, role) VALUES ('rory', 'reviewer')`);
    await env.db.run(`UPDATE users SET disabled = true WHERE username = 'rory'`);
    expect(await code(approveVersion(env.db, { username: 'rory' }, v.id, v.version, { content_hash: v.hash }))).toBe('contract.not_reviewer');
  });

  it('an admin holding every role still cannot approve what they authored', async () => {
    await env.db.run(`INSERT INTO users (username, password_hash) VALUES ('root', 'x')`);
    for (const role of ['admin', 'author', 'reviewer']) await env.db.run(`INSERT INTO user_roles (username, role) VALUES ('root', ?)`, [role]);
    const d = await createDraft(env.db, { username: 'root' }, confirmationsDoc(`r${seq++}`));
    await submitVersion(env.db, { username: 'root' }, d.id, d.version);
    expect(await code(approveVersion(env.db, { username: 'root' }, d.id, d.version, { content_hash: d.content_hash }))).toBe('contract.self_approval');
    expect(await code(rejectVersion(env.db, { username: 'root' }, d.id, d.version, { comment: 'mine' }))).toBe('contract.self_approval');
  });

  it('an older version cannot replace the approved one (contract.stale)', async () => {
    const older = await versionIn('submitted');
    await versionIn('approved');
    expect(await code(approveVersion(env.db, { username: 'rita' }, older.id, older.version, { content_hash: older.hash }))).toBe('contract.stale');
  });

  it('approval is blocked while observed data shows a type mismatch, and released jobs run once approved', async () => {
    // A job of the confirmations parser waiting for a contract; the FIX scope is not involved.
    await env.db.run(
      `INSERT INTO jobs (id, upload_id, source_path, source_sha256, parser_id, parser_version, logic_hash, status, created_by)
       VALUES ('job-w', 'up-w', '/x', 'abc', 'confirmations_csv', '1.0.0', 'lh', 'AWAITING_CONTRACT', 'ops')`,
    );
    const base = confirmationsDoc('observed');
    const row = (q: string) => Object.fromEntries(base.columns.map((c) => [c.name, c.name === 'quantity' ? q : c.name === 'side' ? 'BUY' : c.name.endsWith('date') ? '2024-01-02' : c.name === 'transact_time' ? '2024-01-02T10:00:00Z' : c.name === 'price' ? '1.5' : 'X']));
    const observed = inferObservedSchema([row('12.5'), row('abc')]);
    const blocked = await createDraft(env.db, { username: 'alice' }, base, { observed: { schema: observed, source: 'job:earlier' } });
    await submitVersion(env.db, { username: 'alice' }, blocked.id, blocked.version);
    try {
      await approveVersion(env.db, { username: 'rita' }, blocked.id, blocked.version, { content_hash: blocked.content_hash });
      expect.unreachable();
    } catch (e) {
      expect(isApiError(e) && e.code).toBe('contract.type_mismatch');
      expect((e as Error).message).toMatch(/quantity/);
    }
    expect(await statusOf(blocked.id, blocked.version)).toBe('submitted');
    expect((await env.db.all<{ status: string }>(`SELECT status FROM jobs WHERE id = 'job-w'`))[0].status).toBe('AWAITING_CONTRACT');
    // The amendment from the observed data reads quantity as text: nothing blocks it.
    const amended = await draftFromObserved(env.db, { username: 'eddie' }, 'confirmations_csv', 'confirmations', inferObservedSchema([row('12.5'), row('abc')]), 'job:earlier');
    await submitVersion(env.db, { username: 'eddie' }, amended.id, amended.version);
    const approved = await approveVersion(env.db, { username: 'rita' }, amended.id, amended.version, { content_hash: amended.content_hash });
    expect(approved.status).toBe('approved');
    expect(approved.released_jobs).toEqual(['job-w']);
    expect((await env.db.all<{ status: string }>(`SELECT status FROM jobs WHERE id = 'job-w'`))[0].status).toBe('QUEUED');
  });
});
