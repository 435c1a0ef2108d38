// Runs a contract change in one transaction and maps DuckDB's optimistic-concurrency failure
// (another transaction updated the same row first: "Conflict on update" / "TransactionContext
// Error") to 409 contract.conflict, so the client reloads and retries instead of seeing a 500.
import type { Db } from '../../../db/open';
import { ApiError, isApiError } from '../http/api-error';

export function isWriteConflict(e: unknown): boolean {
  if (isApiError(e) || !(e instanceof Error)) return false;
  return /conflict/i.test(e.message) && /transaction|update|write/i.test(e.message);
}

export async function contractTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  try {
    return await db.transaction(fn);
  } catch (e) {
    if (isWriteConflict(e)) throw new ApiError('contract.conflict', 409, 'Someone else changed this contract version at the same time; reload and try again.');
    throw e;
  }
}
