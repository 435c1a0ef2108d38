// Users and their roles (permission users.manage).
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { allUsers } from '../../../lib/server/auth/auth-service';
import { ROLES } from '../../../lib/server/permissions';
import { AdminTabs } from '../admin-tabs';
import { UsersAdmin } from './users-admin';

export default async function UsersPage() {
  const me = await requirePageUser('users.manage', '/admin/users');
  const users = await allUsers();
  return (
    <>
      <h1>Users</h1>
      <AdminTabs current="users" />
      <UsersAdmin users={users} roles={[...ROLES]} me={me.username} />
    </>
  );
}
