// POST /api/quarantine/replay {"output","job_ids":[…],"dry_run":true|false} → the replay report:
// per job the quarantined rows not replayed yet, how many pass the approved contract now, how
// many still fail (by violation type), and (dry_run false) how many were promoted.
import { z } from 'zod';
import { replayQuarantinedRows } from '../../../../lib/server/contracts';
import { readJson, withRoute } from '../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

const body = z.object({
  output: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/),
  job_ids: z.array(z.string().min(1).max(100)).min(1).max(200),
  dry_run: z.boolean(),
});

export const POST = withRoute({ permission: 'quarantine.replay' }, async (req, _ctx, user) => {
  const input = await readJson(req, body);
  return Response.json(await replayQuarantinedRows(user, { output: input.output, jobIds: input.job_ids, dryRun: input.dry_run }));
});
