// The shell of every page: navigation (only the sections the user's roles may open), the user, logout.
import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { getCurrentUser } from '../lib/server/auth/current-user';
import { hasPermission, type Permission } from '../lib/server/permissions';
import { LogoutButton } from './logout-button';
import './globals.css';

export const metadata: Metadata = { title: 'Trade Break Workbench' };
export const dynamic = 'force-dynamic';

const SECTIONS: { href: string; label: string; permission: Permission }[] = [
  { href: '/jobs', label: 'Jobs', permission: 'jobs.read' },
  { href: '/upload', label: 'Upload', permission: 'uploads.create' },
  { href: '/pipelines', label: 'Pipelines', permission: 'pipelines.read' },
  { href: '/breaks', label: 'Breaks', permission: 'breaks.read' },
  { href: '/contracts', label: 'Contracts', permission: 'contracts.read' },
  { href: '/bench', label: 'Bench', permission: 'contracts.read' },
  { href: '/quarantine', label: 'Quarantine', permission: 'quarantine.read' },
  { href: '/admin', label: 'Admin', permission: 'users.manage' },
];

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getCurrentUser();
  return (
    <html lang="en">
      <body>
        <nav className="nav" aria-label="Main">
          <a className="brand" href="/">
            Trade Break Workbench
          </a>
          {user &&
            SECTIONS.filter((s) => hasPermission(user, s.permission)).map((s) => (
              <a key={s.href} href={s.href}>
                {s.label}
              </a>
            ))}
          <span className="spacer" />
          {user ? (
            <>
              <span className="user" data-testid="current-user">
                {user.display_name ?? user.username} ({user.roles.join(', ')})
              </span>
              <LogoutButton />
            </>
          ) : (
            <a href="/login">Log in</a>
          )}
        </nav>
        <main>{children}</main>
      </body>
    </html>
  );
}
