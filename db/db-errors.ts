// DuckDB errors that the edges answer as a condition of the moment, not as a bug. Only db/
// knows DuckDB's message shapes.

/**
 * DuckDB could not allocate within its memory_limit: another statement (a break-detection pass
 * sorting millions of rows, a promotion) holds the buffer pool, and even a small query fails
 * until it releases some. Seen at 10M messages: a job-status read failed on 32 KiB while a pass
 * held the 2GB limit. The transaction of the failed statement is rolled back; retrying later is safe.
 */
export function isDbOutOfMemory(e: unknown): boolean {
  return e instanceof Error && (e.message.startsWith('Out of Memory Error') || COMMIT_OUT_OF_MEMORY.test(e.message));
}

// The same condition met while committing (writing the transaction's blocks): DuckDB reports it
// as a failed commit, e.g. "TransactionContext Error: Failed to commit: could not allocate block
// of size 256.0 KiB (7.4 MiB/7.6 MiB used)", seen at a small memory_limit. The transaction is
// rolled back as well.
const COMMIT_OUT_OF_MEMORY = /^TransactionContext Error: Failed to commit: (could not allocate|failed to allocate|failed to pin) .*\(\d+(\.\d+)? [KMGT]?i?B\/\d+(\.\d+)? [KMGT]?i?B used\)/;
