// The rules of the quarantine settings cascade that need no database, table-driven:
// - a contract document states a policy value unless it lists it in `quarantine_inherit`;
//   inherited values are normalised, old documents (no list) keep their hash, the list is hashed;
// - the stated policy of a document feeds the contract layer of the cascade;
// - a per-upload override is read from the upload's query and refused without the right.
import { describe, expect, it } from 'vitest';
import { contentHash, DEFAULT_QUARANTINE_POLICY, defaultContractFor, diffContracts, parseContractDocument, type ContractDocument } from '../../lib/contracts';
import { getParser } from '../../lib/parsers/registry';
import { isApiError } from '../../lib/server/http/api-error';
import { readUploadOverride, resolveQuarantinePolicy, statedContractPolicy } from '../../lib/server/quarantine-settings';

const base = defaultContractFor(getParser('confirmations_csv')!, 'confirmations');

function parse(doc: unknown): ContractDocument {
  const r = parseContractDocument(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.contract;
}

describe('contract documents and the cascade', () => {
  it('an old document (no quarantine_inherit) reads and hashes exactly as before', () => {
    const doc = parse(JSON.parse(JSON.stringify(base)));
    expect(doc.quarantine_inherit).toBeUndefined();
    expect(contentHash(doc)).toBe(contentHash(base));
    // An empty list states everything, like an absent one: same document, same hash.
    expect(parse({ ...base, quarantine_inherit: [] })).toEqual(doc);
  });

  it('inherited values are normalised to the built-in default, the list sorted and hashed', () => {
    const doc = parse({ ...base, quarantine: { allow_quarantine: true, max_quarantine_pct: 55, max_quarantine_count: 3 }, quarantine_inherit: ['max_quarantine_pct', 'allow_quarantine', 'max_quarantine_pct'] });
    expect(doc.quarantine_inherit).toEqual(['allow_quarantine', 'max_quarantine_pct']);
    expect(doc.quarantine).toEqual({ allow_quarantine: DEFAULT_QUARANTINE_POLICY.allow_quarantine, max_quarantine_pct: DEFAULT_QUARANTINE_POLICY.max_quarantine_pct, max_quarantine_count: 3 });
    // Whatever was typed for an inherited value, one meaning has one hash…
    const typedOther = parse({ ...base, quarantine: { allow_quarantine: false, max_quarantine_pct: 1, max_quarantine_count: 3 }, quarantine_inherit: ['allow_quarantine', 'max_quarantine_pct'] });
    expect(contentHash(typedOther)).toBe(contentHash(doc));
    // …and stating a value is not the same content as inheriting it.
    const stated = parse({ ...base, quarantine: doc.quarantine });
    expect(contentHash(stated)).not.toBe(contentHash(doc));
    expect(diffContracts(stated, doc).changes.map((c) => c.kind)).toContain('policy_changed');
  });

  it('refuses an unknown policy key in quarantine_inherit', () => {
    const r = parseContractDocument({ ...base, quarantine_inherit: ['max_rows'] });
    expect(r.ok).toBe(false);
  });

  const statedCases: { name: string; doc: unknown; stated: Record<string, unknown> }[] = [
    { name: 'old document: all three stated', doc: { quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null } }, stated: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null } },
    { name: 'one inherited', doc: { quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null }, quarantine_inherit: ['allow_quarantine'] }, stated: { max_quarantine_pct: 10, max_quarantine_count: null } },
    { name: 'all inherited', doc: { quarantine: { allow_quarantine: false, max_quarantine_pct: 10, max_quarantine_count: null }, quarantine_inherit: ['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'] }, stated: {} },
    { name: 'no policy at all', doc: {}, stated: {} },
  ];
  for (const c of statedCases) {
    it(`stated policy: ${c.name}`, () => {
      expect(statedContractPolicy(c.doc)).toEqual(c.stated);
      // The same once read (defaults filled in, inherited values normalised).
      if ('quarantine' in (c.doc as object)) expect(statedContractPolicy(parse({ ...base, ...(c.doc as object) }))).toEqual(c.stated);
    });
  }

  it('a global setting applies to the values a contract inherits, never over those it states', () => {
    const doc = parse({ ...base, quarantine: { allow_quarantine: false, max_quarantine_pct: 5, max_quarantine_count: null }, quarantine_inherit: ['allow_quarantine'] });
    const r = resolveQuarantinePolicy({ global: { allow_quarantine: true, max_quarantine_pct: 50 }, contract: statedContractPolicy(doc) });
    expect(r.policy).toEqual({ allow_quarantine: true, max_quarantine_pct: 5, max_quarantine_count: null });
    expect([r.values.allow_quarantine.source, r.values.max_quarantine_pct.source, r.values.max_quarantine_count.source]).toEqual(['global', 'contract', 'contract']);
  });
});

describe('per-upload override from the upload query', () => {
  const ops = { username: 'o', roles: ['ops'] };
  const author = { username: 'a', roles: ['author'] };
  const cases: { query: string; user: typeof ops; policy?: Record<string, unknown> | null; code?: string }[] = [
    { query: 'kind=fix', user: author, policy: null },
    { query: 'override_allow_quarantine=true', user: ops, policy: { allow_quarantine: true } },
    { query: 'override_allow_quarantine=false&override_max_quarantine_pct=2.5', user: ops, policy: { allow_quarantine: false, max_quarantine_pct: 2.5 } },
    { query: 'override_max_quarantine_count=none', user: ops, policy: { max_quarantine_count: null } },
    { query: 'override_max_quarantine_count=12', user: ops, policy: { max_quarantine_count: 12 } },
    { query: 'override_allow_quarantine=&override_max_quarantine_pct=', user: author, policy: null },
    { query: 'override_allow_quarantine=yes', user: ops, code: 'upload.bad_quarantine_override' },
    { query: 'override_max_quarantine_pct=101', user: ops, code: 'upload.bad_quarantine_override' },
    { query: 'override_max_quarantine_pct=1e3', user: ops, code: 'upload.bad_quarantine_override' },
    { query: 'override_max_quarantine_count=-1', user: ops, code: 'upload.bad_quarantine_override' },
    { query: 'override_allow_quarantine=true', user: author, code: 'quarantine.override_forbidden' },
  ];
  for (const c of cases) {
    it(`${c.query} as ${c.user.roles[0]} → ${c.code ?? JSON.stringify(c.policy)}`, () => {
      const run = () => readUploadOverride(new URLSearchParams(c.query), c.user);
      if (c.code) {
        try {
          run();
          expect.unreachable();
        } catch (e) {
          expect(isApiError(e) && e.code).toBe(c.code);
          expect(isApiError(e) && e.status).toBe(c.code === 'quarantine.override_forbidden' ? 403 : 400);
        }
      } else expect(run()).toEqual(c.policy);
    });
  }
});
