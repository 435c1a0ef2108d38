// POST /api/pipelines/:name/backfill {"start":"yyyy-MM-dd","end":"yyyy-MM-dd"} → one run per day,
// inclusive, resumable (completed days are no-ops): {"status","days":[run outcome…],"completed","skipped","failed"}.
import { z } from 'zod';
import { isFormPost, readForm, readJson, withRoute } from '../../../../../lib/server/http/route';
import { backfill } from '../../../../../lib/server/pipelines/pipelines-service';

export const dynamic = 'force-dynamic';

const body = z.object({ start: z.string().min(1).max(32), end: z.string().min(1).max(32) });

export const POST = withRoute<{ params: Promise<{ name: string }> }>({ permission: 'pipelines.run' }, async (req, ctx, user) => {
  const { name } = await ctx.params;
  if (isFormPost(req)) {
    const form = await readForm(req, 4096);
    const r = await backfill({ name, start: form.get('start') ?? '', end: form.get('end') ?? '' }, user.username);
    const notice = `${name} ${r.start}..${r.end}: ${r.completed} run, ${r.skipped} already done, ${r.failed} failed`;
    return new Response(null, { status: 303, headers: { location: `/pipelines?notice=${encodeURIComponent(notice)}` } });
  }
  const input = await readJson(req, body, 4096);
  const outcome = await backfill({ name, start: input.start, end: input.end }, user.username);
  return Response.json(outcome, { status: outcome.status === 'failed' ? 422 : 200 });
});
