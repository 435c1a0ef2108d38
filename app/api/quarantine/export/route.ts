// GET /api/quarantine/export?<the filters of /api/quarantine> → CSV of every matching row.
import { parseQuarantineFilters, quarantineExportStream } from '../../../../lib/server/quarantine/quarantine-service';
import { withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'quarantine.read' }, async (req) => {
  const filters = parseQuarantineFilters(new URL(req.url).searchParams);
  const stream = await quarantineExportStream(filters);
  const name = `quarantine-${filters.output ?? 'rows'}-${new Date().toISOString().slice(0, 10)}.csv`;
  return new Response(stream, {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'no-store' },
  });
});
