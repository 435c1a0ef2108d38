// GET /api/admin/users → {"users":[…]}; POST {"username","password","roles",["display_name"]} → 201 {"user"}.
import { addUserAs, allUsers } from '../../../../lib/server/auth/auth-service';
import { newUserSchema } from '../../../../lib/server/auth/manage-users';
import { readJson, withRoute } from '../../../../lib/server/http/route';

export const GET = withRoute({ permission: 'users.manage' }, async () => {
  return Response.json({ users: await allUsers() });
});

export const POST = withRoute({ permission: 'users.manage' }, async (req, _ctx, user) => {
  const input = await readJson(req, newUserSchema, 16 * 1024);
  return Response.json({ user: await addUserAs(user.username, input) }, { status: 201 });
});
