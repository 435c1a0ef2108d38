// Run: one attempt of a job in a child worker process, supervised. The attempt ends in exactly
// one outcome (a result, or a failure with a code); the worker is always dead when it settles,
// so its staging directory has no writer left once the dispatcher releases the job.
import { fork, type ChildProcess } from 'node:child_process';
import {
  fromWorkerMessageSchema,
  type JobSpec,
  type WorkerProgress,
  type WorkerRunResult,
} from '../../../worker/ipc-messages';
import { workerEnv, workerExecArgv } from './worker-env';

export type AttemptOutcome =
  | { kind: 'result'; result: WorkerRunResult }
  | { kind: 'failed'; code: string; message: string; retryable: boolean };

export interface AttemptOptions {
  spec: JobSpec;
  /** Absolute path of worker/main.ts. */
  workerEntry: string;
  /** A fresh prebuilt bundle of the worker (worker-bundle.ts) to start instead of workerEntry; null: the sources through tsx. */
  workerBundle?: string | null;
  /** Hard limit on the whole attempt. */
  jobTimeoutMs: number;
  /** A worker silent (no heartbeat, no progress) for this long is hung. */
  heartbeatTimeoutMs: number;
  /** Time a new worker has to load (tsx compiles it) and say it is ready; default 60 s. */
  startTimeoutMs?: number;
  onSpawn?: (pid: number) => void;
  onProgress?: (progress: WorkerProgress) => void;
  /** Aborting kills the worker; the outcome is `job.stopped`. */
  signal?: AbortSignal;
}

/** How long a worker that sent its result may take to exit before it is killed. */
const EXIT_GRACE_MS = 5_000;

export function runWorkerAttempt(opts: AttemptOptions): Promise<AttemptOutcome> {
  return new Promise((resolve) => {
    let child: ChildProcess;
    try {
      const bundle = opts.workerBundle ?? null;
      // turbopackIgnore: a run-time path (the worker's sources or its bundle), not a module of the server build.
      child = fork(/*turbopackIgnore: true*/ bundle ?? opts.workerEntry, [], {
        execArgv: workerExecArgv(process.env, { bundle: bundle !== null }),
        env: workerEnv(process.env),
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        serialization: 'json',
      });
    } catch (e) {
      resolve({ kind: 'failed', code: 'job.worker_spawn_failed', message: (e as Error).message, retryable: true });
      return;
    }

    let result: WorkerRunResult | null = null;
    let reported: AttemptOutcome | null = null;
    let killedFor: { code: string; message: string; retryable: boolean } | null = null;
    let lastHeard = Date.now();
    let ready = false;
    const startedAt = Date.now();
    const startTimeoutMs = opts.startTimeoutMs ?? 60_000;
    let settled = false;

    const kill = (code: string, message: string, retryable: boolean) => {
      if (killedFor === null) killedFor = { code, message, retryable };
      child.kill('SIGKILL');
    };

    const watchdog = setInterval(() => {
      const now = Date.now();
      if (result !== null) {
        if (now - lastHeard > EXIT_GRACE_MS) child.kill('SIGKILL');
      } else if (now - startedAt > opts.jobTimeoutMs) {
        kill('job.timeout', `the attempt ran longer than ${opts.jobTimeoutMs} ms`, true);
      } else if (!ready) {
        // Loading is not hanging: a busy machine may take seconds to compile the worker.
        if (now - startedAt > startTimeoutMs) kill('job.worker_start_timeout', `the worker was not ready within ${startTimeoutMs} ms`, true);
      } else if (now - lastHeard > opts.heartbeatTimeoutMs) {
        kill('job.worker_hung', `the worker sent no heartbeat for ${opts.heartbeatTimeoutMs} ms`, true);
      }
    }, Math.max(50, Math.min(1_000, Math.floor(opts.heartbeatTimeoutMs / 4))));

    const onAbort = () => kill('job.stopped', 'the dispatcher stopped', true);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.signal?.aborted) onAbort();

    const settle = (outcome: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      clearInterval(watchdog);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };

    child.on('message', (raw: unknown) => {
      lastHeard = Date.now();
      const parsed = fromWorkerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        kill('job.bad_worker_message', 'the worker sent a malformed message', true);
        return;
      }
      const msg = parsed.data;
      switch (msg.type) {
        case 'ready':
          ready = true;
          if (child.pid !== undefined) opts.onSpawn?.(child.pid);
          child.send({ type: 'run', spec: opts.spec }, (err) => {
            if (err) kill('job.ipc_failed', `could not send the job spec: ${err.message}`, true);
          });
          return;
        case 'heartbeat':
          return;
        case 'progress':
          opts.onProgress?.(msg.progress);
          return;
        case 'result':
          result = msg.result;
          return;
        case 'failed':
          reported = { kind: 'failed', code: msg.code, message: msg.message, retryable: msg.retryable };
          return;
      }
    });

    child.on('error', (e) => {
      // Spawn failure or a broken IPC channel; 'exit' may or may not follow.
      kill('job.worker_spawn_failed', e.message, true);
      if (child.exitCode === null && child.signalCode === null && child.pid === undefined) {
        settle({ kind: 'failed', code: 'job.worker_spawn_failed', message: e.message, retryable: true });
      }
    });

    child.on('exit', (code, signal) => {
      // The result was sent after every staged file was closed: once it arrived, the attempt
      // delivered, whatever happens to the process afterwards.
      if (result !== null) settle({ kind: 'result', result });
      else if (killedFor !== null) settle({ kind: 'failed', ...(killedFor as { code: string; message: string; retryable: boolean }) });
      else if (reported !== null) settle(reported);
      else {
        settle({
          kind: 'failed',
          code: 'job.worker_crashed',
          message: `the worker exited (${signal ? `signal ${signal}` : `code ${String(code)}`}) without a result`,
          retryable: true,
        });
      }
    });
  });
}
