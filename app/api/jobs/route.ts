// GET /api/jobs?status=&limit=&before= → {"jobs":[…],"older":cursor|null}: newest first, each with status, parser,
// outputs, progress, error; `older` is the `before` of the next page (older jobs).
import { z } from 'zod';
import { withRoute } from '../../../lib/server/http/route';
import { MAX_JOBS_PAGE } from '../../../lib/server/jobs/job-views';
import { JOB_STATUSES, jobsForList } from '../../../lib/server/jobs/jobs-service';

export const dynamic = 'force-dynamic';

const query = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_JOBS_PAGE).default(100),
  before: z.string().max(512).optional(),
});

export const GET = withRoute({ permission: 'jobs.read' }, async (req) => {
  const url = new URL(req.url);
  const q = query.parse({
    status: url.searchParams.get('status') || undefined,
    limit: url.searchParams.get('limit') || undefined,
    before: url.searchParams.get('before') || undefined,
  });
  return Response.json(await jobsForList(q));
});
