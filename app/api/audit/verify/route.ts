// GET /api/audit/verify → {"ok":true,"entries":n} or {"ok":false,"entries","first_bad_seq","reason"}.
import { auditChainStatus } from '../../../../lib/server/audit/audit-service';
import { withRoute } from '../../../../lib/server/http/route';

export const GET = withRoute({ permission: 'audit.read' }, async () => {
  return Response.json(await auditChainStatus());
});
