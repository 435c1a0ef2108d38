// GET /api/quarantine?output=&violation_type=&job_id=&file=&from=&to=&include_replayed=&cursor=&limit=
// → quarantined rows across jobs, newest job first, keyset pages (limit ≤ 500, next_cursor).
import { parseBrowseLimit, parseQuarantineFilters, quarantinePageFor } from '../../../lib/server/quarantine/quarantine-service';
import { withRoute } from '../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'quarantine.read' }, async (req) => {
  const params = new URL(req.url).searchParams;
  const filters = parseQuarantineFilters(params);
  const limit = parseBrowseLimit(params.get('limit'));
  const cursor = params.get('cursor') || null;
  return Response.json(await quarantinePageFor(filters, cursor, limit));
});
