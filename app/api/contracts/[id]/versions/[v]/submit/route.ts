// POST /api/contracts/{id}/versions/{v}/submit → {"id","version","status","content_hash"}: draft → submitted (immutable after).
import { submitContractVersion } from '../../../../../../../lib/server/contracts';
import { withRoute } from '../../../../../../../lib/server/http/route';
import { versionParams, type VersionCtx } from '../../../../version-params';

export const dynamic = 'force-dynamic';

export const POST = withRoute<VersionCtx>({ permission: 'contracts.propose' }, async (_req, ctx, user) => {
  const { id, version } = await versionParams(ctx);
  return Response.json(await submitContractVersion(user, id, version));
});
