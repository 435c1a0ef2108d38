// A partial quarantine policy as a client sends it (the global setting, a per-upload override):
// each of the three values may be left out, meaning "leave it to the layer below". Same bounds
// as a contract's policy (lib/contracts quarantinePolicySchema).
import { z } from 'zod';
import { canonicalJson } from '../../contracts';
import { ApiError } from '../http/api-error';
import type { PartialPolicy } from './resolve-quarantine-policy';

export const partialPolicySchema = z
  .object({
    allow_quarantine: z.boolean().optional(),
    max_quarantine_pct: z.number().min(0).max(100).optional(),
    max_quarantine_count: z.number().int().min(0).nullable().optional(),
  })
  .strict();

export function readPartialPolicy(json: unknown, code: string): PartialPolicy {
  const r = partialPolicySchema.safeParse(json);
  if (!r.success) throw new ApiError(code, 400, 'A quarantine setting has allow_quarantine (true/false), max_quarantine_pct (0–100) and max_quarantine_count (a whole number or null), each optional.', r.error.issues);
  const out: PartialPolicy = {};
  for (const [k, v] of Object.entries(r.data)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** Stored text of a partial policy (canonical JSON, absent keys left out). */
export function partialPolicyJson(p: PartialPolicy): string {
  return canonicalJson(p);
}
