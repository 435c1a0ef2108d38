// GET /api/breaks/export?format=csv|parquet&class=&status=&cl_ord_id=&symbol=&account=&assignee=&age=&from=&to=&sort=&dir=
// → the filtered set of breaks as a file (CSV cells that would be formulas neutralised; Parquet typed).
import { parseBreakBrowserQuery } from '../../../../lib/server/breaks/break-browser-query';
import { assertExportFormat, exportBreaksCsv, exportBreaksParquetStream } from '../../../../lib/server/breaks/break-browser-service';
import { withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'breaks.export' }, async (req) => {
  const url = new URL(req.url);
  const format = assertExportFormat(url.searchParams.get('format'));
  const q = parseBreakBrowserQuery(url.searchParams);
  const stamp = new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '');
  if (format === 'parquet') {
    return new Response(await exportBreaksParquetStream(q), {
      headers: { 'content-type': 'application/vnd.apache.parquet', 'content-disposition': `attachment; filename="breaks-${stamp}.parquet"` },
    });
  }
  return new Response(await exportBreaksCsv(q), {
    headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="breaks-${stamp}.csv"` },
  });
});
