// GET /api/pipelines → {"pipelines":[…],"runs":[…]}: current definitions (with watermark) and recent runs.
// POST /api/pipelines with a definition (JSON) → {"name","version","changed","definition"} (apply, audited).
import { isFormPost, readForm, readJson, withRoute } from '../../../lib/server/http/route';
import { applyPipeline, listPipelineRuns, listPipelines } from '../../../lib/server/pipelines/pipelines-service';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'pipelines.read' }, async () => {
  return Response.json({ pipelines: await listPipelines(), runs: await listPipelineRuns({ limit: 200 }) });
});

export const POST = withRoute({ permission: 'pipelines.apply' }, async (req, _ctx, user) => {
  if (isFormPost(req)) {
    // The /pipelines page: the definition's JSON text in a form field; back to the page with a notice.
    const form = await readForm(req, 256 * 1024);
    const applied = await applyPipeline(form.get('definition') ?? '', user.username);
    const notice = applied.changed ? `${applied.name}: version ${applied.version} applied` : `${applied.name}: unchanged (version ${applied.version})`;
    return new Response(null, { status: 303, headers: { location: `/pipelines?notice=${encodeURIComponent(notice)}` } });
  }
  const definition = await readJson(req, { parse: (v: unknown) => v }, 256 * 1024);
  const applied = await applyPipeline(definition, user.username);
  return Response.json(applied, { status: applied.changed ? 201 : 200 });
});
