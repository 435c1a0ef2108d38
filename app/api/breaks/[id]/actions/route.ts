// POST /api/breaks/{id}/actions {"action":"assign|comment|resolve|reopen|false_positive", …}
// → {"break_id","from_status","to_status","assignee"}; audited in the same transaction.
import { z } from 'zod';
import { actOnBreak } from '../../../../../lib/server/breaks/breaks-service';
import { ApiError, withRoute } from '../../../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

type Ctx = { params: Promise<{ id: string }> };

const text = z.string().trim().min(1).max(4000);
const body = z.discriminatedUnion('action', [
  z.object({ action: z.literal('assign'), assignee: z.string().trim().min(1).max(64).nullable() }).strict(),
  z.object({ action: z.literal('comment'), body: text }).strict(),
  z.object({ action: z.literal('resolve'), reason: text }).strict(),
  z.object({ action: z.literal('false_positive'), reason: text }).strict(),
  z.object({ action: z.literal('reopen'), reason: text.optional() }).strict(),
]);

export const POST = withRoute<Ctx>({ permission: 'breaks.write' }, async (req, ctx, user) => {
  const { id } = await ctx.params;
  if (!/^[0-9a-f]{64}$/.test(id)) throw new ApiError('break.not_found', 404, 'No break has this id.');
  const input = body.parse(await req.json().catch(() => ({})));
  const r = await actOnBreak(id, input, user.username);
  return Response.json({ break_id: id, from_status: r.from_status, to_status: r.to_status, assignee: r.assignee });
});
