// Run (byte ranges): one attempt of a large FIX job split at message boundaries into N byte
// ranges (plan-byte-ranges.ts), each run by its own worker process at once, then merged into
// one result identical to one worker's (combine-range-results.ts): same rows in the same order,
// same counts, same result_hash, quarantine policy decided over the whole job.
//
// Invariants:
// - Parts stage into staging/<job>/.ranges/<k>/ (a name no output can have); the merge moves
//   their files into the layout promotion reads and removes .ranges before the outcome is
//   returned, so promotion and roll-forward never see a part directory.
// - One part failing (crash, hang, error) stops the others; the attempt fails with the first
//   failure's code and is retried whole, like a single-worker attempt.
// - Every worker is dead when this settles (each part is a runWorkerAttempt).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../db/open';
import type { JobSpec, WorkerProgress, WorkerRunResult } from '../../../worker/ipc-messages';
import { combineRangeResults } from './combine-range-results';
import type { ByteRange } from './plan-byte-ranges';
import { runWorkerAttempt, type AttemptOptions, type AttemptOutcome } from './run-attempt';

export const RANGE_PARTS_DIR = '.ranges';

export interface RangedAttemptOptions extends Omit<AttemptOptions, 'onProgress'> {
  db: Db;
  ranges: ByteRange[];
  /** Size of the whole file (progress). */
  totalBytes: number;
  /** Name of the parser's parse-error output. */
  errorOutput: string;
  onProgress?: (progress: WorkerProgress) => void;
  /**
   * Called once every part's worker has exited for good (no correction round follows), before
   * the merge: the dispatcher hands the slots to the next job (the merge needs no worker).
   */
  onWorkersExited?: () => Promise<void>;
}

export function partDirFor(stagingDir: string, k: number): string {
  return path.join(stagingDir, RANGE_PARTS_DIR, String(k).padStart(3, '0'));
}

interface PartOutcome {
  range: ByteRange;
  outcome: AttemptOutcome;
}

/** Runs the given ranges at once; the first failure stops the rest. */
async function runParts(opts: RangedAttemptOptions, work: { k: number; range: ByteRange }[], progress: WorkerProgress[]): Promise<Map<number, PartOutcome>> {
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort();
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (opts.signal?.aborted) stop.abort();
  const out = new Map<number, PartOutcome>();
  try {
    await Promise.all(
      work.map(async ({ k, range }) => {
        const dir = partDirFor(opts.spec.stagingDir, k);
        await rm(dir, { recursive: true, force: true });
        const spec: JobSpec = {
          ...opts.spec,
          stagingDir: dir,
          range: { start: range.start, end: range.end, baseLine: range.baseLine, baseMessageIndex: range.baseMessageIndex },
        };
        const outcome = await runWorkerAttempt({
          ...opts,
          spec,
          signal: stop.signal,
          onProgress: (p) => {
            progress[k] = p;
            const sum = progress.reduce(
              (acc, q) => ({ bytes: acc.bytes + q.bytes, totalBytes: opts.totalBytes, rows: acc.rows + q.rows, rowsPerSec: acc.rowsPerSec + q.rowsPerSec }),
              { bytes: 0, totalBytes: opts.totalBytes, rows: 0, rowsPerSec: 0 },
            );
            opts.onProgress?.(sum);
          },
        });
        out.set(k, { range, outcome });
        if (outcome.kind === 'failed') stop.abort();
      }),
    );
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  return out;
}

function messagesOf(result: WorkerRunResult): number | null {
  const s = result.parse_summary as { messages?: unknown } | null;
  return s && typeof s.messages === 'number' ? s.messages : null;
}

export async function runRangedAttempt(opts: RangedAttemptOptions): Promise<AttemptOutcome> {
  const ranges = opts.ranges.map((r) => ({ ...r }));
  const progress: WorkerProgress[] = ranges.map(() => ({ bytes: 0, totalBytes: 0, rows: 0, rowsPerSec: 0 }));
  const results = new Map<number, PartOutcome>();
  let work = ranges.map((range, k) => ({ k, range }));
  let reruns = 0;
  try {
    for (let round = 0; round < 2; round++) {
      const done = await runParts(opts, work, progress);
      // The first real failure wins over the parts it stopped (job.stopped).
      const failures = [...done.values()].map((d) => d.outcome).filter((o): o is Extract<AttemptOutcome, { kind: 'failed' }> => o.kind === 'failed');
      if (failures.length > 0) {
        if (opts.signal?.aborted) return { kind: 'failed', code: 'job.stopped', message: 'the dispatcher stopped', retryable: true };
        return failures.find((f) => f.code !== 'job.stopped') ?? failures[0];
      }
      for (const [k, d] of done) results.set(k, d);
      // Check each range's message index base against what the ranges before it counted.
      work = [];
      let expected = 0;
      for (let k = 0; k < ranges.length; k++) {
        const r = results.get(k)!;
        const result = (r.outcome as Extract<AttemptOutcome, { kind: 'result' }>).result;
        if (r.range.baseMessageIndex !== expected) {
          ranges[k] = { ...ranges[k], baseMessageIndex: expected };
          work.push({ k, range: ranges[k] });
        }
        const n = messagesOf(result);
        if (n === null) return { kind: 'failed', code: 'job.range_merge_failed', message: `range ${k} reported no message count`, retryable: false };
        expected += n;
      }
      if (work.length === 0) break;
      if (round === 1) {
        return { kind: 'failed', code: 'job.range_merge_failed', message: 'byte ranges disagree on message indexes after a correction round', retryable: false };
      }
      reruns = work.length;
    }
    await opts.onWorkersExited?.();
    const parts = ranges.map((range, k) => ({
      range,
      dir: partDirFor(opts.spec.stagingDir, k),
      result: (results.get(k)!.outcome as Extract<AttemptOutcome, { kind: 'result' }>).result,
    }));
    const result = await combineRangeResults({ db: opts.db, spec: opts.spec, errorOutput: opts.errorOutput, parts, reruns });
    return { kind: 'result', result };
  } catch (e) {
    console.error(`job ${opts.spec.jobId}: merging byte ranges failed:`, e);
    return { kind: 'failed', code: 'job.range_merge_failed', message: (e as Error).message.slice(0, 2000), retryable: true };
  } finally {
    await rm(path.join(opts.spec.stagingDir, RANGE_PARTS_DIR), { recursive: true, force: true });
  }
}
