// The filters of the cross-job quarantine browser (/quarantine, /api/quarantine, its export),
// read from URL search parameters. Every value is held to a shape here; values reach SQL only
// as bound parameters, and the output only after it was found among the existing outputs.
import { z } from 'zod';
import { ApiError } from '../http/api-error';

export const MAX_BROWSE_LIMIT = 500;
export const DEFAULT_BROWSE_LIMIT = 100;

const OUTPUT = /^[a-z][a-z0-9_]{0,62}$/;
const VIOLATION = /^[a-z][a-z_]{0,40}$/;
const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export interface QuarantineFilters {
  /** null: the first output that has quarantined rows */
  output: string | null;
  /** matches the row's first violation or any in `_violations` */
  violationType: string | null;
  jobId: string | null;
  /** 64 hex: the upload's sha256; anything else: part of the file name (case-insensitive) */
  file: string | null;
  /** yyyy-MM-dd, inclusive, on the job's creation date (UTC) */
  from: string | null;
  to: string | null;
  includeReplayed: boolean;
}

const blankToNull = (v: string | null) => (v === null || v.trim() === '' ? null : v.trim());

const schema = z.object({
  output: z.string().regex(OUTPUT).nullable(),
  violationType: z.string().regex(VIOLATION).nullable(),
  jobId: z.string().regex(JOB_ID).nullable(),
  file: z.string().max(200).nullable(),
  from: z.string().regex(DATE).nullable(),
  to: z.string().regex(DATE).nullable(),
  includeReplayed: z.boolean(),
});

/** Throws ApiError request.invalid (400) naming the first bad parameter. */
export function parseQuarantineFilters(params: URLSearchParams): QuarantineFilters {
  const raw = {
    output: blankToNull(params.get('output')),
    violationType: blankToNull(params.get('violation_type')),
    jobId: blankToNull(params.get('job_id'))?.toLowerCase() ?? null,
    file: blankToNull(params.get('file')),
    from: blankToNull(params.get('from')),
    to: blankToNull(params.get('to')),
    includeReplayed: ['1', 'true', 'on', 'yes'].includes((params.get('include_replayed') ?? '').toLowerCase()),
  };
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const name = String(parsed.error.issues[0]?.path[0] ?? 'query');
    throw new ApiError('request.invalid', 400, `The filter ${name} is not valid.`);
  }
  return parsed.data;
}

export function parseBrowseLimit(value: string | null): number {
  if (value === null || value === '') return DEFAULT_BROWSE_LIMIT;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_BROWSE_LIMIT) {
    throw new ApiError('request.invalid', 400, `limit must be an integer from 1 to ${MAX_BROWSE_LIMIT}.`);
  }
  return n;
}

/** The filters as URL parameters (for links, the export and the cursor binding); empty values left out. */
export function filtersToParams(f: QuarantineFilters): URLSearchParams {
  const p = new URLSearchParams();
  if (f.output) p.set('output', f.output);
  if (f.violationType) p.set('violation_type', f.violationType);
  if (f.jobId) p.set('job_id', f.jobId);
  if (f.file) p.set('file', f.file);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  if (f.includeReplayed) p.set('include_replayed', '1');
  return p;
}
