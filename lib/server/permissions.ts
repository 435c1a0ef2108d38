// Who may do what: the one table. Route handlers, server actions and pages ask
// hasPermission / requirePermission; nothing else in the code base checks a role name.
// Separation of duties for contracts (no approving your own proposal) is checked per contract
// version where approval happens, on top of this table, for every role including admin.
import { ApiError } from './http/api-error';

export const ROLES = ['ops', 'analyst', 'author', 'reviewer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'jobs.read', // jobs list and detail, job progress
  'uploads.create', // upload FIX logs and confirmation files (starts jobs)
  'quarantine.read', // quarantined rows and parse errors of a job
  'quarantine.replay', // re-validate quarantined rows under the approved contract and promote those that pass
  'quarantine.settings', // change the global quarantine setting (the layer between built-in default and contract policy)
  'quarantine.override', // set a per-upload quarantine override (the top layer of the settings cascade)
  'breaks.read', // breaks list, ClOrdID drill-down, raw FIX bytes
  'breaks.write', // assign, comment, resolve breaks
  'breaks.export', // CSV export of breaks
  'contracts.read', // contracts, versions, diffs
  'contracts.propose', // propose a contract or an amendment
  'contracts.review', // approve or reject a proposal (never one's own)
  'users.manage', // create users, set roles, disable accounts
  'audit.read', // the audit log and its verification
  'retention.manage', // purge quarantine rows and uploads older than N days
  'pipelines.read', // pipeline definitions and their runs
  'pipelines.run', // run or backfill a pipeline (starts jobs)
  'pipelines.apply', // store a new version of a pipeline definition
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  ops: ['jobs.read', 'uploads.create', 'quarantine.read', 'quarantine.replay', 'quarantine.override', 'contracts.read', 'pipelines.read', 'pipelines.run', 'pipelines.apply'],
  analyst: ['jobs.read', 'quarantine.read', 'breaks.read', 'breaks.write', 'breaks.export', 'contracts.read'],
  author: ['jobs.read', 'quarantine.read', 'quarantine.replay', 'contracts.read', 'contracts.propose'],
  reviewer: ['jobs.read', 'quarantine.read', 'contracts.read', 'contracts.review'],
  admin: ['jobs.read', 'quarantine.read', 'quarantine.settings', 'breaks.read', 'contracts.read', 'users.manage', 'audit.read', 'retention.manage', 'pipelines.read', 'pipelines.run', 'pipelines.apply'],
};

export interface UserWithRoles {
  username: string;
  roles: readonly string[];
}

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** The union of the permissions of a user's roles; unknown role names grant nothing. */
export function permissionsOf(user: UserWithRoles): Set<Permission> {
  const out = new Set<Permission>();
  for (const role of user.roles) if (isRole(role)) for (const p of ROLE_PERMISSIONS[role]) out.add(p);
  return out;
}

export function hasPermission(user: UserWithRoles | null | undefined, permission: Permission): boolean {
  return !!user && permissionsOf(user).has(permission);
}

/** Throws ApiError auth.required (401) without a user, auth.forbidden (403) without the permission. */
export function requirePermission(user: UserWithRoles | null | undefined, permission: Permission): void {
  if (!user) throw new ApiError('auth.required', 401, 'Log in first.');
  if (!hasPermission(user, permission)) throw new ApiError('auth.forbidden', 403, `This needs the permission ${permission}.`);
}
