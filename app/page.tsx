// The landing page: the jobs list for a logged-in user, the login page otherwise.
import { redirect } from 'next/navigation';
import { getCurrentUser } from '../lib/server/auth/current-user';
import { hasPermission } from '../lib/server/permissions';

export default async function Home() {
  const user = await getCurrentUser();
  if (!user) redirect('/login');
  if (hasPermission(user, 'jobs.read')) redirect('/jobs');
  redirect('/forbidden');
}
