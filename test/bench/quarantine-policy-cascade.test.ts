// The quarantine settings cascade: built-in default < global < contract < per-upload override.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUARANTINE_POLICY } from '../../lib/contracts';
import { POLICY_KEYS, POLICY_SOURCES, resolveQuarantinePolicy, statedContractPolicy, type PartialPolicy } from '../../lib/server/quarantine-settings/resolve-quarantine-policy';

describe('quarantine policy cascade', () => {
  it('is the built-in default with no other layer', () => {
    const r = resolveQuarantinePolicy({});
    expect(r.policy).toEqual(DEFAULT_QUARANTINE_POLICY);
    for (const k of POLICY_KEYS) expect(r.values[k].source).toBe('built_in');
  });

  it('takes each value from the highest layer that sets it', () => {
    const r = resolveQuarantinePolicy({
      global: { allow_quarantine: true, max_quarantine_pct: 5 },
      contract: { max_quarantine_pct: 2 },
      uploadOverride: { max_quarantine_count: 7 },
      overrideAllowed: true,
    });
    expect(r.policy).toEqual({ allow_quarantine: true, max_quarantine_pct: 2, max_quarantine_count: 7 });
    expect(r.values.allow_quarantine.source).toBe('global');
    expect(r.values.max_quarantine_pct.source).toBe('contract');
    expect(r.values.max_quarantine_pct.layers.map((l) => l.source)).toEqual(['built_in', 'global', 'contract']);
    expect(r.values.max_quarantine_count.source).toBe('upload_override');
  });

  it('ignores an override set without the right, and says so', () => {
    const r = resolveQuarantinePolicy({ contract: { max_quarantine_pct: 2 }, uploadOverride: { max_quarantine_pct: 50 }, overrideAllowed: false });
    expect(r.policy.max_quarantine_pct).toBe(2);
    expect(r.values.max_quarantine_pct.source).toBe('contract');
    expect(r.values.max_quarantine_pct.layers.at(-1)).toEqual({ source: 'upload_override', value: 50, ignored: true });
  });

  it('reads only the policy keys a contract document states', () => {
    expect(statedContractPolicy({ quarantine: { max_quarantine_pct: 3 } })).toEqual({ max_quarantine_pct: 3 });
    expect(statedContractPolicy({ quarantine: { max_quarantine_count: null } })).toEqual({ max_quarantine_count: null });
    expect(statedContractPolicy({})).toEqual({});
  });

  it('property: every value equals the one of the highest non-ignored layer setting it', () => {
    const partial = fc.record(
      { allow_quarantine: fc.boolean(), max_quarantine_pct: fc.integer({ min: 0, max: 100 }), max_quarantine_count: fc.option(fc.nat(1000), { nil: null }) },
      { requiredKeys: [] },
    ) as fc.Arbitrary<PartialPolicy>;
    fc.assert(
      fc.property(fc.option(partial, { nil: null }), fc.option(partial, { nil: null }), fc.option(partial, { nil: null }), fc.boolean(), (global, contract, uploadOverride, overrideAllowed) => {
        const r = resolveQuarantinePolicy({ global, contract, uploadOverride, overrideAllowed });
        const layers: Record<string, PartialPolicy | null> = { built_in: { ...DEFAULT_QUARANTINE_POLICY }, global, contract, upload_override: overrideAllowed ? uploadOverride : null };
        for (const k of POLICY_KEYS) {
          const top = [...POLICY_SOURCES].reverse().find((s) => layers[s] && k in layers[s]!)!;
          expect(r.values[k].source).toBe(top);
          expect(r.policy[k]).toEqual(layers[top]![k]);
        }
      }),
    );
  });
});
