// GET /api/bench/preview?parser_id=&upload_id=&rows= → per output: first rows, observed schema,
// diffs against the intent and the approved contract; parse errors. Runs the parser on a capped
// sample of the stored file in this process.
import { ApiError, withRoute } from '../../../../lib/server/http/route';
import { benchPreview, clampRows, PREVIEW_DEFAULT_ROWS, PREVIEW_MAX_ROWS } from '../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'contracts.read' }, async (req) => {
  const p = new URL(req.url).searchParams;
  const parserId = p.get('parser_id') ?? '';
  const uploadId = p.get('upload_id') ?? '';
  if (!parserId || !uploadId) throw new ApiError('bench.bad_request', 400, 'Query parameters parser_id and upload_id are required.');
  return Response.json(await benchPreview(parserId, uploadId, clampRows(p.get('rows'), PREVIEW_DEFAULT_ROWS, PREVIEW_MAX_ROWS)));
});
