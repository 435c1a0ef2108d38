// What app/ calls for retention, on the process's database and data directory.
import { dataDir, getDb } from '../../../db/open';
import { purgeRetention, type RetentionRequest, type RetentionSummary } from './purge-retention';

export type { RetentionSummary } from './purge-retention';

export async function runRetention(actor: string, req: RetentionRequest): Promise<RetentionSummary> {
  return purgeRetention(await getDb(), actor, dataDir(), req);
}
