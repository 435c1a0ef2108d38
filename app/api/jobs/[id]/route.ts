// GET /api/jobs/{id} → the job: status, parser, outputs, progress, error, metrics and lineage.
import { ApiError, withRoute } from '../../../../lib/server/http/route';
import { jobForDetail } from '../../../../lib/server/jobs/jobs-service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const GET = withRoute<Ctx>({ permission: 'jobs.read' }, async (_req, ctx) => {
  const { id } = await ctx.params;
  const job = await jobForDetail(id);
  if (!job) throw new ApiError('job.not_found', 404, 'No job has this id.');
  return Response.json(job);
});
