// Accounts created on first start (no users yet). Demo mode (the default): one user per role,
// named after the role, all with WORKBENCH_DEMO_PASSWORD (default 'demo-password' — change it).
// WORKBENCH_DEMO=0: a single 'admin' with a random password, printed once to the server log.
import { randomBytes } from 'node:crypto';
import type { Db } from '../../../db/open';
import { ROLES } from '../permissions';
import { countUsers, createUser } from './users';

export const DEFAULT_DEMO_PASSWORD = 'demo-password';

export function isDemoMode(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return env.WORKBENCH_DEMO !== '0';
}

export async function ensureInitialUsers(
  db: Db,
  env: Readonly<Record<string, string | undefined>> = process.env,
  log: (line: string) => void = console.log,
): Promise<string[]> {
  if ((await countUsers(db)) > 0) return [];
  if (isDemoMode(env)) {
    const password = env.WORKBENCH_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
    for (const role of ROLES) {
      await createUser(db, { username: role, password, roles: [role], actor: 'system' });
    }
    log(
      `Demo accounts created: ${ROLES.join(', ')} (password ${env.WORKBENCH_DEMO_PASSWORD ? 'from WORKBENCH_DEMO_PASSWORD' : `'${DEFAULT_DEMO_PASSWORD}'`}; change it before real use).`,
    );
    return [...ROLES];
  }
  const password = randomBytes(18).toString('base64url');
  await createUser(db, { username: 'admin', password, roles: ['admin'], actor: 'system' });
  log(`Created the account 'admin' with the password ${password} — shown once, store it now.`);
  return ['admin'];
}
