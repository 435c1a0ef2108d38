// Observed schemas recorded per scope (004_governance.sql). The latest one is what approval is
// checked against: an unresolved type mismatch between it and the version blocks approval.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { canonicalJson } from '../../contracts';
import type { ObservedSchema } from '../../pipeline/observed-schema';

export interface RecordedObservedSchema {
  id: string;
  scope_id: string;
  source: string;
  observed: ObservedSchema;
  recorded_by: string;
  recorded_at: string;
}

export async function recordObservedSchema(
  db: Db,
  o: { scopeId: string; source: string; observed: ObservedSchema; recordedBy: string },
): Promise<string> {
  const id = randomUUID();
  await db.run(
    `INSERT INTO contract_observed_schemas (id, scope_id, source, observed, recorded_by) VALUES (?, ?, ?, ?, ?)`,
    [id, o.scopeId, o.source, canonicalJson(o.observed), o.recordedBy],
  );
  return id;
}

export async function latestObservedSchema(db: Db, scopeId: string): Promise<RecordedObservedSchema | null> {
  const rows = await db.all(
    `SELECT id, scope_id, source, observed, recorded_by, recorded_at FROM contract_observed_schemas
     WHERE scope_id = ? ORDER BY recorded_at DESC, id DESC LIMIT 1`,
    [scopeId],
  );
  if (rows.length === 0) return null;
  const r = rows[0];
  return {
    id: String(r.id),
    scope_id: String(r.scope_id),
    source: String(r.source),
    observed: JSON.parse(String(r.observed)) as ObservedSchema,
    recorded_by: String(r.recorded_by),
    recorded_at: String(r.recorded_at),
  };
}
