// GET /api/bench/backtests/{id} → the run's state: progress, results so far, status.
import { ApiError, withRoute } from '../../../../../lib/server/http/route';
import { getBacktest } from '../../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

export const GET = withRoute<Ctx>({ permission: 'contracts.read' }, async (_req, ctx) => {
  const { id } = await ctx.params;
  const run = getBacktest(id);
  if (!run) throw new ApiError('bench.unknown_backtest', 404, 'No such backtest in this server process.');
  return Response.json(run);
});
