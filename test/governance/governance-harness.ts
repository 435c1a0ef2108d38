// A real DuckDB file in a temp data dir with every migration, and the cast of the four-eyes
// tests: `alice` authors, `eddie` edits, `rita` is another reviewer, `ana` an analyst, `adam`
// an admin. alice and eddie also hold `reviewer`, so their refusals are about separation of
// duties, not about a missing role.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase, type OpenDb } from '../../db/open';
import { createUser } from '../../lib/server/auth/users';
import { defaultContractFor, type ContractDocument } from '../../lib/contracts';
import { getParser } from '../../lib/parsers/registry';
import type { Role } from '../../lib/server/permissions';

export const CAST: Record<string, Role[]> = {
  alice: ['author', 'reviewer'],
  eddie: ['author', 'reviewer'],
  rita: ['reviewer'],
  ana: ['analyst'],
  adam: ['admin'],
};

export interface GovEnv {
  db: OpenDb;
  root: string;
  cleanup(): Promise<void>;
}

export async function createCast(db: OpenDb, cast: Record<string, Role[]> = CAST): Promise<void> {
  for (const [username, roles] of Object.entries(cast)) await createUser(db, { username, password: 'gov-test-pw', roles, actor: 'test' });
}

export async function openGovEnv(): Promise<GovEnv> {
  const root = mkdtempSync(path.join(tmpdir(), 'wb-gov-'));
  const dataDir = path.join(root, 'data');
  const db = await openDatabase({ file: path.join(dataDir, 'workbench.duckdb'), dataDir });
  await createCast(db);
  return {
    db,
    root,
    async cleanup() {
      await db.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The confirmations default contract, with a description that makes its hash unique per `tag`. */
export function confirmationsDoc(tag: string): ContractDocument {
  const doc = defaultContractFor(getParser('confirmations_csv')!, 'confirmations');
  return { ...doc, description: `test ${tag}`, columns: doc.columns.map((c, i) => (i === 0 ? { ...c, description: `exec id ${tag}` } : c)) };
}

export const STATES = ['draft', 'submitted', 'approved', 'rejected', 'superseded'] as const;
export type State = (typeof STATES)[number];
export const ACTORS = ['alice', 'eddie', 'rita', 'ana', 'adam'] as const;
export type ActorName = (typeof ACTORS)[number];
export const ACTIONS = ['submit', 'approve', 'reject'] as const;
export type Action = (typeof ACTIONS)[number];

/**
 * What the rules say for (actor, action, state): 'ok' or the refusal code. `httpForbidden` is
 * the answer of the route wrapper for an actor lacking the route's permission (submit needs
 * contracts.propose on the route; approve and reject are open to readers so that the service
 * answers with its four-eyes codes).
 */
export function expected(actor: ActorName, action: Action, state: State, via: 'service' | 'http'): { status: number; code: string | 'ok' } {
  if (action === 'submit') {
    if (actor !== 'alice' && actor !== 'eddie') return via === 'http' ? { status: 403, code: 'auth.forbidden' } : { status: 403, code: 'contract.not_author' };
    return state === 'draft' ? { status: 200, code: 'ok' } : { status: 409, code: 'contract.not_draft' };
  }
  if (actor === 'ana' || actor === 'adam') return { status: 403, code: 'contract.not_reviewer' };
  if (actor === 'alice' || actor === 'eddie') return { status: 403, code: 'contract.self_approval' };
  return state === 'submitted' ? { status: 200, code: 'ok' } : { status: 409, code: 'contract.not_submitted' };
}
