// Concurrent approve-vs-edit against a real DuckDB. Whatever the interleaving, an approval
// lands only on the exact content the reviewer read: an edit racing an approval either happens
// first (then the approval is refused, hash mismatch or not submitted) or is refused (the
// version is no longer a draft). A write-write conflict reported by DuckDB's MVCC (another
// transaction updated the row and has not committed) is answered 409 contract.conflict.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, parseContractDocument } from '../../lib/contracts';
import { approveVersion, createDraft, editDraft, submitVersion } from '../../lib/server/contracts';
import { isApiError } from '../../lib/server/http/api-error';
import { confirmationsDoc, openGovEnv, type GovEnv } from './governance-harness';

let env: GovEnv;
beforeAll(async () => {
  env = await openGovEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (isApiError(e)) return e.code;
    throw e;
  }
}

async function stored(id: string, version: number) {
  const [row] = await env.db.all<{ status: string; content_hash: string; document: string; editors: string }>(
    'SELECT status, content_hash, document, editors FROM contract_versions WHERE contract_id = ? AND version = ?',
    [id, version],
  );
  const approvals = await env.db.all<{ content_hash: string; reviewer: string }>(
    `SELECT content_hash, reviewer FROM contract_approvals WHERE contract_id = ? AND version = ? AND decision = 'approved'`,
    [id, version],
  );
  const parsed = parseContractDocument(JSON.parse(row.document));
  if (!parsed.ok) throw new Error('stored document does not parse');
  return { ...row, documentHash: contentHash(parsed.contract), approvals };
}

describe('approve vs edit, concurrently', () => {
  it('an approval never lands on content other than what the reviewer read', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 8; i++) {
      // The reviewer reads version v at H1 once it is submitted; meanwhile the author had a
      // second thought: another draft edit + submit races the approval of the first content.
      const d = await createDraft(env.db, { username: 'alice' }, confirmationsDoc(`race${i}`));
      const readHash = d.content_hash;
      const order = i % 2 === 0;
      const editAndSubmit = async () => {
        const e = await outcome(editDraft(env.db, { username: 'alice' }, d.id, d.version, confirmationsDoc(`race${i}-changed`)));
        const s = await outcome(submitVersion(env.db, { username: 'alice' }, d.id, d.version));
        return `${e}/${s}`;
      };
      const submitThenApprove = async () => {
        await outcome(submitVersion(env.db, { username: 'alice' }, d.id, d.version));
        return outcome(approveVersion(env.db, { username: 'rita' }, d.id, d.version, { content_hash: readHash }));
      };
      const [a, b] = order ? await Promise.all([editAndSubmit(), submitThenApprove()]) : (await Promise.all([submitThenApprove(), editAndSubmit()])).reverse();
      seen.add(`${a} | ${b}`);
      const s = await stored(d.id, d.version);
      expect(s.content_hash).toBe(s.documentHash);
      if (b === 'ok') {
        expect(s.status).toBe('approved');
        expect(s.content_hash).toBe(readHash);
        expect(s.approvals).toEqual([{ content_hash: readHash, reviewer: 'rita' }]);
      } else {
        expect(['contract.hash_mismatch', 'contract.not_submitted']).toContain(b);
        expect(s.status).not.toBe('approved');
        expect(s.approvals).toEqual([]);
      }
      if (a.startsWith('ok/')) expect(b).not.toBe('ok');
    }
    // Both sides won at least once over the interleavings tried.
    expect([...seen].some((x) => x.endsWith('| ok'))).toBe(true);
  });

  it('editing a submitted version while it is approved: the approval stands, the edit is refused', async () => {
    const d = await createDraft(env.db, { username: 'alice' }, confirmationsDoc('submitted-race'));
    await submitVersion(env.db, { username: 'alice' }, d.id, d.version);
    const [edit, approve] = await Promise.all([
      outcome(editDraft(env.db, { username: 'eddie' }, d.id, d.version, confirmationsDoc('submitted-race-2'))),
      outcome(approveVersion(env.db, { username: 'rita' }, d.id, d.version, { content_hash: d.content_hash })),
    ]);
    expect(edit).toBe('contract.not_draft');
    expect(approve).toBe('ok');
    const s = await stored(d.id, d.version);
    expect(s.status).toBe('approved');
    expect(s.content_hash).toBe(d.content_hash);
    expect(JSON.parse(s.editors)).toEqual([]);
  });

  it("DuckDB's write-write conflict is answered 409 contract.conflict and changes nothing", async () => {
    const d = await createDraft(env.db, { username: 'alice' }, confirmationsDoc('mvcc'));
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let updated!: () => void;
    const didUpdate = new Promise<void>((r) => (updated = r));
    // Another writer (not serialised by the in-process lock) updates the draft and stays open.
    // (DuckDB detects conflicts per updated column: it writes the document column too.)
    const other = env.db.transaction(
      async (tx) => {
        await tx.run(`UPDATE contract_versions SET document = document, updated_at = current_timestamp WHERE contract_id = ? AND version = ?`, [d.id, d.version]);
        updated();
        await held;
      },
      { serialize: false },
    );
    await didUpdate;
    const edit = await outcome(editDraft(env.db, { username: 'eddie' }, d.id, d.version, confirmationsDoc('mvcc-2')));
    release();
    await other;
    expect(edit).toBe('contract.conflict');
    const s = await stored(d.id, d.version);
    expect(s.content_hash).toBe(d.content_hash);
    expect(JSON.parse(s.editors)).toEqual([]);
    const audit = await env.db.all(`SELECT 1 FROM audit_log WHERE action = 'contract.edited' AND subject = ?`, [`contract:${d.id}@${d.version}`]);
    expect(audit).toHaveLength(0);
  });

  it('an approval racing another uncommitted writer of the version is refused 409 contract.conflict, not approved', async () => {
    const d = await createDraft(env.db, { username: 'alice' }, confirmationsDoc('mvcc-approve'));
    await submitVersion(env.db, { username: 'alice' }, d.id, d.version);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let updated!: () => void;
    const didUpdate = new Promise<void>((r) => (updated = r));
    const other = env.db.transaction(
      async (tx) => {
        await tx.run(`UPDATE contract_versions SET status = 'submitted', updated_at = current_timestamp WHERE contract_id = ? AND version = ?`, [d.id, d.version]);
        updated();
        await held;
      },
      { serialize: false },
    );
    await didUpdate;
    const approve = await outcome(approveVersion(env.db, { username: 'rita' }, d.id, d.version, { content_hash: d.content_hash }));
    release();
    await other;
    expect(approve).toBe('contract.conflict');
    const s = await stored(d.id, d.version);
    expect(s.status).toBe('submitted');
    expect(s.approvals).toEqual([]);
    // Once the other writer is done, the approval goes through.
    expect(await outcome(approveVersion(env.db, { username: 'rita' }, d.id, d.version, { content_hash: d.content_hash }))).toBe('ok');
  });
});
