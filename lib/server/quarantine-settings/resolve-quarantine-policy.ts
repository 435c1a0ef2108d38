// The quarantine settings cascade (issue 6): built-in default < global setting < contract
// policy < per-upload override. Each layer may set any of the three values or leave it to the
// layer below; the effective policy says, per value, which layer it came from. Pure.
// A per-upload override only counts when it was set by a user holding the right (the caller
// passes `overrideAllowed` from the permission check of the user who SET it, not the viewer).
import { DEFAULT_QUARANTINE_POLICY, type QuarantinePolicy } from '../../contracts';

export type PolicyKey = keyof QuarantinePolicy;
export type PolicySource = 'built_in' | 'global' | 'contract' | 'upload_override';
export const POLICY_KEYS: readonly PolicyKey[] = ['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'];
/** Lowest precedence first. */
export const POLICY_SOURCES: readonly PolicySource[] = ['built_in', 'global', 'contract', 'upload_override'];

export type PartialPolicy = Partial<QuarantinePolicy>;

export interface PolicyLayers {
  global?: PartialPolicy | null;
  /** Only the keys the contract version states itself (not defaults filled in by parsing). */
  contract?: PartialPolicy | null;
  uploadOverride?: PartialPolicy | null;
  /** false: the override is ignored (and reported so). */
  overrideAllowed?: boolean;
}

export interface ResolvedValue<K extends PolicyKey> {
  key: K;
  value: QuarantinePolicy[K];
  source: PolicySource;
  /** Every layer that set this value, lowest first, including ignored ones. */
  layers: { source: PolicySource; value: QuarantinePolicy[K]; ignored: boolean }[];
}

export interface ResolvedPolicy {
  policy: QuarantinePolicy;
  values: { [K in PolicyKey]: ResolvedValue<K> };
}

/** The value a layer sets for `key`, or undefined when it leaves it to the layers below. */
function valueIn<K extends PolicyKey>(layer: PartialPolicy | null | undefined, key: K): { value: QuarantinePolicy[K] } | undefined {
  if (!layer || !Object.prototype.hasOwnProperty.call(layer, key) || layer[key] === undefined) return undefined;
  return { value: layer[key] as QuarantinePolicy[K] };
}

export function resolveQuarantinePolicy(layers: PolicyLayers): ResolvedPolicy {
  const builtIn: QuarantinePolicy = { ...DEFAULT_QUARANTINE_POLICY };
  const bySource: Record<PolicySource, PartialPolicy | null | undefined> = {
    built_in: builtIn,
    global: layers.global,
    contract: layers.contract,
    upload_override: layers.uploadOverride,
  };
  const resolveKey = <K extends PolicyKey>(key: K): ResolvedValue<K> => {
    let value = builtIn[key];
    let source: PolicySource = 'built_in';
    const seen: ResolvedValue<K>['layers'] = [];
    for (const s of POLICY_SOURCES) {
      const set = valueIn(bySource[s], key);
      if (!set) continue;
      const ignored = s === 'upload_override' && layers.overrideAllowed !== true;
      seen.push({ source: s, value: set.value, ignored });
      if (!ignored) {
        value = set.value;
        source = s;
      }
    }
    return { key, value, source, layers: seen };
  };
  const values = {
    allow_quarantine: resolveKey('allow_quarantine'),
    max_quarantine_pct: resolveKey('max_quarantine_pct'),
    max_quarantine_count: resolveKey('max_quarantine_count'),
  };
  return {
    policy: { allow_quarantine: values.allow_quarantine.value, max_quarantine_pct: values.max_quarantine_pct.value, max_quarantine_count: values.max_quarantine_count.value },
    values,
  };
}

/**
 * The policy keys a contract document states itself. Rule (issue 6): a key listed in the
 * document's `quarantine_inherit` is NOT stated (it comes from the global setting or the built-in
 * default); every other key of `quarantine` is. Documents written before the cascade carry no
 * `quarantine_inherit` and state all three (they were approved with those values, under their
 * hash), so they keep their meaning. Works on raw JSON and on parsed documents alike.
 */
export function statedContractPolicy(rawDocument: unknown): PartialPolicy {
  const doc = rawDocument as { quarantine?: unknown; quarantine_inherit?: unknown } | null;
  const q = doc?.quarantine;
  if (!q || typeof q !== 'object') return {};
  const inherited = new Set(Array.isArray(doc?.quarantine_inherit) ? (doc.quarantine_inherit as unknown[]).map(String) : []);
  const out: PartialPolicy = {};
  const r = q as Record<string, unknown>;
  if (typeof r.allow_quarantine === 'boolean') out.allow_quarantine = r.allow_quarantine;
  if (typeof r.max_quarantine_pct === 'number') out.max_quarantine_pct = r.max_quarantine_pct;
  if (r.max_quarantine_count === null || typeof r.max_quarantine_count === 'number') out.max_quarantine_count = r.max_quarantine_count as number | null;
  for (const k of inherited) delete (out as Record<string, unknown>)[k];
  return out;
}
