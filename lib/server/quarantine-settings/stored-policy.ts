// Reading a partial policy back from its stored JSON text; anything unreadable counts as "sets
// nothing" (the layers below apply) rather than failing a job.
import { partialPolicySchema } from './partial-policy-input';
import type { PartialPolicy } from './resolve-quarantine-policy';

export function parsePartialPolicyText(text: unknown): PartialPolicy {
  if (typeof text !== 'string') return {};
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return {};
  }
  const r = partialPolicySchema.safeParse(json);
  if (!r.success) return {};
  const out: PartialPolicy = {};
  for (const [k, v] of Object.entries(r.data)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
