// DuckDB errors that the edges answer as a condition of the moment, not as a bug. Only db/
// knows DuckDB's message shapes.

/**
 * DuckDB could not allocate within its memory_limit: another statement (a break-detection pass
 * sorting millions of rows, a promotion) holds the buffer pool, and even a small query fails
 * until it releases some. Seen at 10M messages: a job-status read failed on 32 KiB while a pass
 * held the 2GB limit. The transaction of the failed statement is rolled back; retrying later is safe.
 */
export function isDbOutOfMemory(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('Out of Memory Error');
}
