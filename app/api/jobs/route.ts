// GET /api/jobs?status=&limit= → {"jobs":[…]}: newest first, each with status, parser, outputs, progress, error.
import { z } from 'zod';
import { withRoute } from '../../../lib/server/http/route';
import { MAX_JOBS_PAGE } from '../../../lib/server/jobs/job-views';
import { JOB_STATUSES, jobsForList } from '../../../lib/server/jobs/jobs-service';

export const dynamic = 'force-dynamic';

const query = z.object({
  status: z.enum(JOB_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_JOBS_PAGE).default(100),
});

export const GET = withRoute({ permission: 'jobs.read' }, async (req) => {
  const url = new URL(req.url);
  const q = query.parse({ status: url.searchParams.get('status') || undefined, limit: url.searchParams.get('limit') || undefined });
  return Response.json({ jobs: await jobsForList(q) });
});
