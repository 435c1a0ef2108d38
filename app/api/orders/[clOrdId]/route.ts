// GET /api/orders/{clOrdId} → the drill-down: per chain the summary, the timeline of every message
// (names, reported vs computed CumQty, raw bytes field by field, lineage), its breaks and fills.
import { orderDrillDown } from '../../../../lib/server/breaks/breaks-service';
import { ApiError, withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ clOrdId: string }> };

export const GET = withRoute<Ctx>({ permission: 'breaks.read' }, async (_req, ctx) => {
  const { clOrdId } = await ctx.params;
  let id = clOrdId;
  try {
    id = decodeURIComponent(clOrdId);
  } catch {
    // not percent-encoded: the segment is the ClOrdID as is
  }
  if (id.length === 0 || id.length > 128) throw new ApiError('order.not_found', 404, 'No order has this ClOrdID.');
  const drill = await orderDrillDown(id);
  if (drill.chains.length === 0) throw new ApiError('order.not_found', 404, 'No order has this ClOrdID.');
  return Response.json(drill);
});
