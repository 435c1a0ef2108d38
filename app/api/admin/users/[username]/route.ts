// PATCH /api/admin/users/{username} {"roles"?,"disabled"?,"password"?} → {"user"}.
import { changeUserAs } from '../../../../../lib/server/auth/auth-service';
import { userChangeSchema } from '../../../../../lib/server/auth/manage-users';
import { readJson, withRoute } from '../../../../../lib/server/http/route';

export const PATCH = withRoute<{ params: Promise<{ username: string }> }>({ permission: 'users.manage' }, async (req, ctx, user) => {
  const { username } = await ctx.params;
  const change = await readJson(req, userChangeSchema, 16 * 1024);
  return Response.json({ user: await changeUserAs(user.username, username, change) });
});
