// The login page. Already logged in: straight on to where the user was going.
import { redirect } from 'next/navigation';
import { getCurrentUser } from '../../lib/server/auth/current-user';
import { safeReturnPath } from '../../lib/server/auth/safe-return-path';
import { LoginForm } from './login-form';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  const { next, error } = await searchParams;
  const target = safeReturnPath(next);
  if (await getCurrentUser()) redirect(target);
  return (
    <div className="panel login">
      <h1>Log in</h1>
      <LoginForm next={target} failed={error === '1'} />
    </div>
  );
}
