// POST /api/bench/backtests/{id}/stop → the run's state with stop_requested; it stops between batches.
import { ApiError, withRoute } from '../../../../../../lib/server/http/route';
import { stopBacktest } from '../../../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const POST = withRoute<Ctx>({ permission: 'contracts.read' }, async (_req, ctx) => {
  const { id } = await ctx.params;
  const run = stopBacktest(id);
  if (!run) throw new ApiError('bench.unknown_backtest', 404, 'No such backtest in this server process.');
  return Response.json(run);
});
