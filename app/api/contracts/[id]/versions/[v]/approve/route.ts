// POST /api/contracts/{id}/versions/{v}/approve {"content_hash","comment"} → {"id","version","status","content_hash",…}.
// Open to every reader so that a refusal carries its reason: 403 contract.not_reviewer /
// contract.self_approval, 409 contract.not_submitted / contract.hash_mismatch (four eyes is
// checked by the service, for every role including admin).
import { z } from 'zod';
import { approveContractVersion } from '../../../../../../../lib/server/contracts';
import { readJson, withRoute } from '../../../../../../../lib/server/http/route';
import { versionParams, type VersionCtx } from '../../../../version-params';

export const dynamic = 'force-dynamic';

const body = z.object({
  content_hash: z.string().regex(/^[0-9a-f]{64}$/),
  comment: z.string().max(4000).nullish(),
});

export const POST = withRoute<VersionCtx>({ permission: 'contracts.read' }, async (req, ctx, user) => {
  const { id, version } = await versionParams(ctx);
  const input = await readJson(req, body);
  return Response.json(await approveContractVersion(user, id, version, input));
});
