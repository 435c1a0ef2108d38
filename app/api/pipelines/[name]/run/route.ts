// POST /api/pipelines/:name/run {"logical_date":"yyyy-MM-dd","dry_run"?:bool} → the run outcome:
// {"status":"completed|no_op|failed|dry_run","logical_date","snapshot_hash","files","job_ids",…}.
// The /pipelines page posts the same as a form and is redirected back with the outcome.
import { z } from 'zod';
import { isFormPost, readForm, readJson, withRoute } from '../../../../../lib/server/http/route';
import { runPipeline } from '../../../../../lib/server/pipelines/pipelines-service';

export const dynamic = 'force-dynamic';

const body = z.object({ logical_date: z.string().min(1).max(32), dry_run: z.boolean().optional() });

export const POST = withRoute<{ params: Promise<{ name: string }> }>({ permission: 'pipelines.run' }, async (req, ctx, user) => {
  const { name } = await ctx.params;
  if (isFormPost(req)) {
    const form = await readForm(req, 4096);
    const r = await runPipeline({ name, logicalDate: form.get('logical_date') ?? '' }, user.username);
    return redirect(`/pipelines?notice=${encodeURIComponent(`${name} ${r.logical_date}: ${r.message}`)}`);
  }
  const input = await readJson(req, body, 4096);
  const outcome = await runPipeline({ name, logicalDate: input.logical_date, dryRun: input.dry_run }, user.username);
  return Response.json(outcome, { status: outcome.status === 'failed' ? 422 : 200 });
});

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}
