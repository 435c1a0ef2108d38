// GET /api/bench/backtests → {"runs"}: backtests of this server process, newest first.
// POST /api/bench/backtests {"contract_id","version","max_rows"?} → 202 the new run's state; poll
// GET /api/bench/backtests/{id}, stop with POST /api/bench/backtests/{id}/stop.
import { z } from 'zod';
import { readJson, withRoute } from '../../../../lib/server/http/route';
import { benchStartBacktest, clampRows, listBacktests, TEST_DEFAULT_ROWS, TEST_MAX_ROWS } from '../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

const body = z.object({
  contract_id: z.string().min(1),
  version: z.number().int().positive(),
  max_rows: z.number().int().positive().optional(),
});

export const GET = withRoute({ permission: 'contracts.read' }, async () => {
  return Response.json({ runs: listBacktests() });
});

export const POST = withRoute({ permission: 'contracts.read' }, async (req, _ctx, user) => {
  const b = await readJson(req, body);
  const run = await benchStartBacktest({ contractId: b.contract_id, version: b.version, maxRows: clampRows(b.max_rows, TEST_DEFAULT_ROWS, TEST_MAX_ROWS), actor: user.username });
  return Response.json(run, { status: 202 });
});
