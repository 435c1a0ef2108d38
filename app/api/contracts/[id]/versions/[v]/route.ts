// PUT /api/contracts/{id}/versions/{v} (body = contract document) → {"id","version","status","content_hash","editors"}:
// edits a draft; the editor is recorded and can no longer approve that version.
import { z } from 'zod';
import { editContractDraft } from '../../../../../../lib/server/contracts';
import { readJson, withRoute } from '../../../../../../lib/server/http/route';
import { versionParams, type VersionCtx } from '../../../version-params';

export const dynamic = 'force-dynamic';

const anyObject = z.record(z.string(), z.unknown());

export const PUT = withRoute<VersionCtx>({ permission: 'contracts.propose' }, async (req, ctx, user) => {
  const { id, version } = await versionParams(ctx);
  const document = await readJson(req, anyObject);
  return Response.json(await editContractDraft(user, id, version, document));
});
