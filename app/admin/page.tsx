// /admin → the first admin section the user may open.
import { redirect } from 'next/navigation';
import { requirePageUser } from '../../lib/server/auth/current-user';
import { hasPermission } from '../../lib/server/permissions';

export default async function AdminHome() {
  const user = await requirePageUser(undefined, '/admin');
  if (hasPermission(user, 'users.manage')) redirect('/admin/users');
  if (hasPermission(user, 'audit.read')) redirect('/admin/audit');
  redirect('/forbidden?need=users.manage');
}
