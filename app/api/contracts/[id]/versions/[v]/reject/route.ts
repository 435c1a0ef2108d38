// POST /api/contracts/{id}/versions/{v}/reject {"comment"} → {"id","version","status","content_hash"}.
// A comment is required; the same four-eyes rule as approval (403 contract.not_reviewer /
// contract.self_approval, 409 contract.not_submitted).
import { z } from 'zod';
import { rejectContractVersion } from '../../../../../../../lib/server/contracts';
import { readJson, withRoute } from '../../../../../../../lib/server/http/route';
import { versionParams, type VersionCtx } from '../../../../version-params';

export const dynamic = 'force-dynamic';

const body = z.object({ comment: z.string().trim().min(1).max(4000) });

export const POST = withRoute<VersionCtx>({ permission: 'contracts.read' }, async (req, ctx, user) => {
  const { id, version } = await versionParams(ctx);
  const input = await readJson(req, body);
  return Response.json(await rejectContractVersion(user, id, version, input));
});
