// Property: whatever users attempt — proposals, edits by anyone, submissions, approvals and
// rejections by anyone, with the current, a stale or a wrong hash — every version that is or
// was approved has exactly one approval, by a user holding `reviewer` who neither authored nor
// edited it, for exactly the hash the version holds, and that hash is the hash of its stored
// document. At most one version of a contract is in force.
// A run is a few rounds on the newest version (edits → submission → decision), so sequences
// reach the submitted state often; every step is attempted by a random user and may be refused.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, parseContractDocument } from '../../lib/contracts';
import { approveVersion, createDraft, editDraft, rejectVersion, submitVersion } from '../../lib/server/contracts';
import { isApiError } from '../../lib/server/http/api-error';
import { CAST, confirmationsDoc, openGovEnv, type GovEnv } from './governance-harness';

const USERS = ['alice', 'eddie', 'rita', 'ana', 'adam'] as const;
// The refusals the rules allow; anything else (a 500-style error) fails the property.
const REFUSALS = new Set([
  'contract.not_author', 'contract.not_reviewer', 'contract.self_approval', 'contract.not_submitted', 'contract.not_draft',
  'contract.hash_mismatch', 'contract.stale',
]);

// Weighted towards the users whose steps interleave: two author-reviewers and another reviewer.
const user = fc.oneof(
  { weight: 2, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.constant(1) },
  { weight: 2, arbitrary: fc.constant(2) },
  { weight: 1, arbitrary: fc.constant(3) },
  { weight: 1, arbitrary: fc.constant(4) },
);
const round = fc.record({
  /** start from a new draft (else the newest version) */
  fresh: fc.boolean(),
  proposer: user,
  edits: fc.array(fc.record({ user, tag: fc.nat({ max: 3 }) }), { maxLength: 2 }),
  submitter: user,
  decider: user,
  decision: fc.oneof({ weight: 3, arbitrary: fc.constant('approve' as const) }, fc.constant('reject' as const)),
  hash: fc.oneof({ weight: 4, arbitrary: fc.constant('current' as const) }, fc.constant('first' as const), fc.constant('wrong' as const)),
});

let env: GovEnv;
let run = 0;
let approvedSteps = 0;

beforeAll(async () => {
  env = await openGovEnv();
});
afterAll(async () => {
  await env?.cleanup();
});

async function attempt<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (e) {
    if (!isApiError(e) || !REFUSALS.has(e.code)) throw e;
    return null;
  }
}

/** Checks the versions made by this run (so a shrunk counterexample is about its own steps) and the scope as a whole. */
async function checkInvariant(mine: ReadonlySet<string>): Promise<void> {
  const versions = await env.db.all<{ contract_id: string; version: number; status: string; content_hash: string; author: string; editors: string; document: string }>(
    `SELECT contract_id, version, status, content_hash, author, editors, document FROM contract_versions`,
  );
  const approvals = await env.db.all<{ contract_id: string; version: number; content_hash: string; reviewer: string }>(
    `SELECT contract_id, version, content_hash, reviewer FROM contract_approvals WHERE decision = 'approved'`,
  );
  const inForce = new Map<string, number>();
  for (const v of versions) {
    const key = `${v.contract_id}@${v.version}`;
    if (v.status === 'approved') inForce.set(v.contract_id, (inForce.get(v.contract_id) ?? 0) + 1);
    if (!mine.has(key)) continue;
    const parsed = parseContractDocument(JSON.parse(v.document));
    expect(parsed.ok, `${key} stored document`).toBe(true);
    if (parsed.ok) expect(contentHash(parsed.contract), `${key} stored hash`).toBe(v.content_hash);
    const given = approvals.filter((a) => a.contract_id === v.contract_id && Number(a.version) === Number(v.version));
    if (v.status !== 'approved' && v.status !== 'superseded') {
      expect(given, `${key} (${v.status}) has no approval`).toHaveLength(0);
      continue;
    }
    const editors = JSON.parse(v.editors) as string[];
    expect(given, `${key} has exactly one approval`).toHaveLength(1);
    const a = given[0];
    expect(a.content_hash, `${key} approval hash`).toBe(v.content_hash);
    expect(a.reviewer, `${key} approved by its author`).not.toBe(v.author);
    expect(editors, `${key} approved by an editor`).not.toContain(a.reviewer);
    expect(CAST[a.reviewer], `${key} approved by a non-reviewer`).toContain('reviewer');
  }
  for (const [id, n] of inForce) expect(n, `${id} versions in force`).toBe(1);
}

describe('four eyes, property', () => {
  it('holds over random sequences of edits, submissions and decisions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(round, { minLength: 1, maxLength: 4 }), async (rounds) => {
        const r = run++;
        let newest: { id: string; version: number; hashes: string[] } | null = null;
        const made = new Set<string>();
        for (const [i, rd] of rounds.entries()) {
          if (rd.fresh || newest === null) {
            const c = await attempt(createDraft(env.db, { username: USERS[rd.proposer] }, confirmationsDoc(`p${r}-${i}`)));
            if (c) {
              newest = { id: c.id, version: c.version, hashes: [c.content_hash] };
              made.add(`${c.id}@${c.version}`);
            }
          }
          if (newest === null) continue;
          const t = newest;
          for (const e of rd.edits) {
            const edited = await attempt(editDraft(env.db, { username: USERS[e.user] }, t.id, t.version, confirmationsDoc(`p${r}-${i}-${e.tag}-${e.user}`)));
            if (edited) t.hashes.push(edited.content_hash);
          }
          await attempt(submitVersion(env.db, { username: USERS[rd.submitter] }, t.id, t.version));
          const decider = { username: USERS[rd.decider] };
          if (rd.decision === 'approve') {
            const hash = rd.hash === 'current' ? t.hashes.at(-1)! : rd.hash === 'first' ? t.hashes[0] : 'a'.repeat(64);
            if (await attempt(approveVersion(env.db, decider, t.id, t.version, { content_hash: hash }))) approvedSteps++;
          } else {
            await attempt(rejectVersion(env.db, decider, t.id, t.version, { comment: 'property says no' }));
          }
        }
        await checkInvariant(made);
      }),
      { numRuns: 100 },
    );
    // Not vacuous: approvals went through.
    expect(approvedSteps).toBeGreaterThan(0);
  });
});
