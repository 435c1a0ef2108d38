// The one place where an I/O failure becomes a stable `io.*` code: a Node errno error (fs calls,
// streams) or a DuckDB "IO Error" (the COPY that writes Parquet, a read of staged Parquet).
// A real ENOSPC and an injected one (worker/fault-points.ts) take the same path.
// The message names the failure and the system call, never a path (it is shown on the job page).

export interface IoFailure {
  code: 'io.disk_full' | 'io.read_only' | 'io.error';
  message: string;
  /**
   * A full disk stays full through the retry backoff (seconds): the job fails at once and is
   * re-run after space is freed. Other I/O errors (EIO) may be transient: retried like a crash.
   */
  retryable: boolean;
}

const ERRNO_CODES: Record<string, IoFailure['code']> = {
  ENOSPC: 'io.disk_full',
  EDQUOT: 'io.disk_full',
  EFBIG: 'io.disk_full',
  EROFS: 'io.read_only',
  EIO: 'io.error',
};

// DuckDB reports OS errors in its message text ("IO Error: Could not write file ...: No space left on device").
const DUCKDB_TEXT: [RegExp, IoFailure['code']][] = [
  [/No space left on device|Disk quota exceeded|File too large/i, 'io.disk_full'],
  [/Read-only file system/i, 'io.read_only'],
  [/Input\/output error|^IO Error:/i, 'io.error'],
];

function failure(code: IoFailure['code'], detail: string): IoFailure {
  const what = code === 'io.disk_full' ? 'disk full' : code === 'io.read_only' ? 'read-only file system' : 'I/O error';
  return { code, message: `${what} (${detail})`, retryable: code === 'io.error' };
}

/** The io.* failure `e` (or an error in its cause chain) is, or null when it is not an I/O failure. */
export function ioFailureOf(e: unknown): IoFailure | null {
  for (let cur: unknown = e, depth = 0; cur && depth < 5; cur = (cur as { cause?: unknown }).cause, depth++) {
    const errno = cur as Partial<NodeJS.ErrnoException>;
    if (typeof errno.code === 'string' && ERRNO_CODES[errno.code]) {
      return failure(ERRNO_CODES[errno.code], `${errno.code}${typeof errno.syscall === 'string' ? ` on ${errno.syscall}` : ''}`);
    }
    const text = cur instanceof Error ? cur.message : typeof cur === 'string' ? cur : '';
    for (const [pattern, code] of DUCKDB_TEXT) {
      if (pattern.test(text)) return failure(code, 'reported by DuckDB');
    }
  }
  return null;
}
