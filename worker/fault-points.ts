// Named fault points for the reliability suite (test/reliability/crash*, io*). Inert unless the
// environment arms them, so production code pays one env lookup per call and nothing else:
//   WORKBENCH_FAULT_POINT=<point>        the process that reaches <point> kills itself (SIGKILL):
//                                        a crash exactly there, with no cleanup code running.
//   WORKBENCH_FAULT_IO=<site>:<CODE>     the fs call at <site> fails with a Node errno error
//                                        (ENOSPC, EIO, ...), as the real call would.
//   WORKBENCH_FAULT_ONCE=<marker file>   optional: the armed fault fires once across every process
//                                        sharing the marker (the first to create it), so a retry
//                                        or a restarted server runs clean.
// The variables are read at each call (not at import): processes forked later inherit them, and
// an in-process test can arm and disarm them.
import { closeSync, openSync } from 'node:fs';

/** Where a process may be killed. Each name is one call site (see docs/reliability.md). */
export type FaultPointName =
  /** worker, run-pipeline.ts: after the first parser batch was validated and staged. */
  | 'after_first_batch'
  /** worker, publish-parquet-file.ts (called by db/parquet/parquet-sink.ts): the Parquet file is complete and fsynced under its temporary name, before the rename. */
  | 'parquet_written'
  /** worker, run-pipeline.ts: every staged Parquet file renamed to its final staging name, before the result is sent. */
  | 'parquet_renamed'
  /** server, promote-job.ts: every row loaded inside the promotion transaction, before COMMIT. */
  | 'promotion_before_commit'
  /** server, promote-job.ts: after COMMIT, before staging is renamed into the warehouse. */
  | 'promotion_after_commit';

/** fs call sites where an I/O error can be injected. */
export type IoFaultSite =
  /** Writing the Parquet file (the COPY into its temporary name). */
  | 'parquet_write'
  /** fsync of the Parquet file before its rename. */
  | 'parquet_fsync'
  /** rename of the Parquet file to its final staging name. */
  | 'parquet_rename'
  /** server, store-upload-stream.ts: writing an upload's bytes to its temporary file. */
  | 'upload_write';

const ERRNO: Record<string, number> = { ENOSPC: -28, EIO: -5, EDQUOT: -122, EROFS: -30, EACCES: -13 };

/** True when this fault should fire now (claims the once-marker when one is set). */
function fires(): boolean {
  const marker = process.env.WORKBENCH_FAULT_ONCE;
  if (!marker) return true;
  try {
    closeSync(openSync(marker, 'wx'));
    return true;
  } catch {
    return false; // another process (an earlier attempt) already fired it
  }
}

/** Kills this process with SIGKILL when WORKBENCH_FAULT_POINT names `name`; else does nothing. */
export function faultPoint(name: FaultPointName): void {
  if (process.env.WORKBENCH_FAULT_POINT !== name || !fires()) return;
  process.kill(process.pid, 'SIGKILL');
  // SIGKILL to oneself is delivered before kill() returns on Linux; never run on regardless.
  throw new Error(`fault point ${name}: SIGKILL was not delivered`);
}

/**
 * Throws the Node errno error the fs call at `site` would throw, when WORKBENCH_FAULT_IO is
 * `<site>:<CODE>`; else does nothing. The error has the shape of a real one (code, errno,
 * syscall, path), so it goes through the same mapping (worker/io-errors.ts).
 */
export function ioFault(site: IoFaultSite, syscall: string, filePath: string): void {
  const armed = process.env.WORKBENCH_FAULT_IO;
  if (!armed) return;
  const at = armed.lastIndexOf(':');
  if (at < 0 || armed.slice(0, at) !== site || !fires()) return;
  const code = armed.slice(at + 1);
  const e = new Error(`${code}: injected fault, ${syscall} '${filePath}'`) as NodeJS.ErrnoException;
  e.code = code;
  e.errno = ERRNO[code] ?? -5;
  e.syscall = syscall;
  e.path = filePath;
  throw e;
}
