// The global quarantine setting: the layer between the built-in default and a contract's policy.
// One row per change (the latest is in force), so the history is the table itself; every change
// is audited in the same transaction. Who may change it is checked on the server, against the
// roles the database holds now.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { appendAudit } from '../audit/append-audit';
import { requireActorPermission, type Actor } from '../contracts/contract-actor';
import { parsePartialPolicyText } from './stored-policy';
import { partialPolicyJson, readPartialPolicy } from './partial-policy-input';
import type { PartialPolicy } from './resolve-quarantine-policy';

export interface GlobalSetting {
  policy: PartialPolicy;
  set_by: string | null;
  set_at: string | null;
}

export async function readGlobalSetting(db: Db): Promise<GlobalSetting> {
  const rows = await db.all<{ policy: string; set_by: string; set_at: string }>(
    `SELECT policy, set_by, set_at FROM quarantine_global_settings ORDER BY set_at DESC, id DESC LIMIT 1`,
  );
  if (rows.length === 0) return { policy: {}, set_by: null, set_at: null };
  return { policy: parsePartialPolicyText(rows[0].policy), set_by: rows[0].set_by, set_at: String(rows[0].set_at) };
}

export async function setGlobalSetting(db: Db, actor: Actor, json: unknown): Promise<GlobalSetting> {
  const policy = readPartialPolicy(json, 'quarantine.settings_invalid');
  return db.transaction(async (tx) => {
    await requireActorPermission(tx, actor, 'quarantine.settings', 'auth.forbidden', 'Changing the global quarantine setting needs the permission quarantine.settings.');
    const before = await readGlobalSetting(tx);
    await tx.run(`INSERT INTO quarantine_global_settings (id, policy, set_by) VALUES (?, ?, ?)`, [randomUUID(), partialPolicyJson(policy), actor.username]);
    await appendAudit(tx, {
      actor: actor.username,
      action: 'quarantine.settings_changed',
      subject: 'quarantine-settings:global',
      details: { before: before.policy, after: policy },
    });
    return readGlobalSetting(tx);
  });
}

/** The latest changes of the global setting, newest first (the page shows them). */
export async function globalSettingHistory(db: Db, limit = 10): Promise<GlobalSetting[]> {
  const rows = await db.all<{ policy: string; set_by: string; set_at: string }>(
    `SELECT policy, set_by, set_at FROM quarantine_global_settings ORDER BY set_at DESC, id DESC LIMIT ?`,
    [limit],
  );
  return rows.map((r) => ({ policy: parsePartialPolicyText(r.policy), set_by: r.set_by, set_at: String(r.set_at) }));
}
