// GET /api/health → {"ok":true,"db":"ok","version"} (no login). 503 with db "error" when the database does not answer.
import { checkHealth } from '../../../lib/server/http/health';
import { withRoute } from '../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: null }, async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
});
