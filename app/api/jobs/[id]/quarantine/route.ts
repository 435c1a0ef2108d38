// GET /api/jobs/{id}/quarantine?output=&violation_type=&cursor=&limit= → one keyset page of the
// job's quarantined rows: {"rows":[…],"next_cursor":…}; limit ≤ 500, cursor opaque.
import { z } from 'zod';
import { ApiError, withRoute } from '../../../../../lib/server/http/route';
import { DEFAULT_QUARANTINE_LIMIT, MAX_QUARANTINE_LIMIT } from '../../../../../lib/server/jobs/job-quarantine';
import { jobQuarantine } from '../../../../../lib/server/jobs/jobs-service';
import { isJobId } from '../../../../../lib/server/jobs/job-paths';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

const query = z.object({
  output: z.string().min(1).max(128).nullable(),
  violation_type: z.string().min(1).max(64).nullable(),
  cursor: z.string().min(1).max(512).nullable(),
  limit: z.coerce.number().int().min(1).max(MAX_QUARANTINE_LIMIT).default(DEFAULT_QUARANTINE_LIMIT),
});

export const GET = withRoute<Ctx>({ permission: 'quarantine.read' }, async (req, ctx) => {
  const { id } = await ctx.params;
  if (!isJobId(id)) throw new ApiError('job.not_found', 404, 'No job has this id.');
  const p = new URL(req.url).searchParams;
  const q = query.parse({
    // An empty parameter (`?output=`) means "not given".
    output: p.get('output') || null,
    violation_type: p.get('violation_type') || null,
    cursor: p.get('cursor') || null,
    limit: p.get('limit') || undefined,
  });
  return Response.json(
    await jobQuarantine({ jobId: id, output: q.output, violationType: q.violation_type, cursor: q.cursor, limit: q.limit }),
  );
});
