// POST /api/admin/retention {"days": N, "dry_run": true|false} → the purge summary (rows per
// table, files, bytes freed). Quarantined rows and uploads older than N days; audited.
import { z } from 'zod';
import { readJson, withRoute } from '../../../../lib/server/http/route';
import { runRetention } from '../../../../lib/server/retention/retention-service';

export const dynamic = 'force-dynamic';

const body = z.object({ days: z.number().int().min(1).max(36_500), dry_run: z.boolean() }).strict();

export const POST = withRoute({ permission: 'retention.manage' }, async (req, _ctx, user) => {
  const input = await readJson(req, body);
  return Response.json(await runRetention(user.username, { days: input.days, dryRun: input.dry_run }));
});
