// GET /api/orders/{clOrdId}?messages_from=&messages_limit=&fills_from=&fills_limit=&breaks_from=&breaks_limit=
// → the drill-down: per chain the summary and a page of each list (drill-down-pages.ts: by default
// the first 200 messages, 200 fills, 50 breaks), with `<list>_total` and `<list>_from`: the
// timeline (names, reported vs computed CumQty, raw bytes field by field, lineage), the fills with
// their matches, the breaks.
import { orderDrillDown, parseDrillDownPages } from '../../../../lib/server/breaks/breaks-service';
import { ApiError, withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ clOrdId: string }> };

export const GET = withRoute<Ctx>({ permission: 'breaks.read' }, async (req, ctx) => {
  const { clOrdId } = await ctx.params;
  let id = clOrdId;
  try {
    id = decodeURIComponent(clOrdId);
  } catch {
    // not percent-encoded: the segment is the ClOrdID as is
  }
  if (id.length === 0 || id.length > 128) throw new ApiError('order.not_found', 404, 'No order has this ClOrdID.');
  const pages = parseDrillDownPages(new URL(req.url).searchParams);
  const drill = await orderDrillDown(id, undefined, pages);
  if (drill.chains.length === 0) throw new ApiError('order.not_found', 404, 'No order has this ClOrdID.');
  return Response.json(drill);
});
