// The cross-job quarantine browser's page token: opaque (base64url of a small JSON) and bound
// to the filters it was issued for (a digest of them), so it cannot be used with other filters.
// Order: newest job first (job creation time in µs, then job id, descending), then _q_row.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { filtersToParams, type QuarantineFilters } from './quarantine-filters';

export interface BrowsePosition {
  /** epoch microseconds of the job's created_at, as decimal text */
  createdUs: string;
  jobId: string;
  qRow: number;
}

const schema = z.object({ v: z.literal(1), c: z.string().regex(/^-?\d{1,20}$/), j: z.string().max(64), r: z.number().int().min(0), f: z.string() }).strict();

function filterDigest(f: QuarantineFilters, output: string): string {
  const p = filtersToParams({ ...f, output });
  p.sort();
  return createHash('sha256').update(p.toString()).digest('base64url').slice(0, 16);
}

export function encodeBrowseCursor(pos: BrowsePosition, f: QuarantineFilters, output: string): string {
  return Buffer.from(JSON.stringify({ v: 1, c: pos.createdUs, j: pos.jobId, r: pos.qRow, f: filterDigest(f, output) }), 'utf8').toString('base64url');
}

/** null when malformed or issued for other filters. */
export function decodeBrowseCursor(token: string, f: QuarantineFilters, output: string): BrowsePosition | null {
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success || parsed.data.f !== filterDigest(f, output)) return null;
  return { createdUs: parsed.data.c, jobId: parsed.data.j, qRow: parsed.data.r };
}
