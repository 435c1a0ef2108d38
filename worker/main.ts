// The worker process: one job spec in over IPC, Parquet files in the staging directory and
// progress + the run result out. Stateless compute: it never opens data/workbench.duckdb
// (DESIGN.md, "Processes"); the dispatcher owns the job row and decides what happens next.
// Started by lib/server/jobs/run-attempt.ts with `child_process.fork(..., { execArgv: workerExecArgv(env) })`
// (tsx and a 64 MiB young generation: lib/server/jobs/worker-env.ts), or from its prebuilt bundle
// (lib/server/jobs/worker-bundle.ts).
import { mkdirSync, readFileSync } from 'node:fs';
import { contentHash, parseContractDocument, type ContractDocument } from '../lib/contracts';
import { getParser } from '../lib/parsers/registry';
import { ownMaxSemiSpaceMb } from '../lib/server/jobs/worker-env';
import {
  fromWorkerMessageSchema,
  toWorkerMessageSchema,
  type FromWorkerMessage,
  type JobSpec,
  type WorkerProgress,
} from './ipc-messages';
import { ioFailureOf } from './io-errors';
import { runPipeline } from './run-pipeline';

const PROGRESS_INTERVAL_MS = 250;

// Defined as true in the prebuilt bundle (scripts/build-worker-bundle.ts); undeclared under tsx.
declare const __WORKBENCH_WORKER_BUNDLE__: boolean | undefined;
const BUNDLED = typeof __WORKBENCH_WORKER_BUNDLE__ !== 'undefined' && __WORKBENCH_WORKER_BUNDLE__ === true;
/** Time from the process's start to its 'ready' (Node, the modules, tsx when not bundled), in ms. */
let startupMs: number | null = null;

class SpecRefused extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

function send(message: FromWorkerMessage): Promise<void> {
  // Validate what we send too: the dispatcher would refuse it anyway, better to fail here, named.
  const checked = fromWorkerMessageSchema.parse(message);
  return new Promise((resolve) => {
    if (!process.send || !process.connected) return resolve();
    process.send(checked, undefined, {}, () => resolve());
  });
}

/** The contracts of the spec, each re-read and checked against the hash the dispatcher approved. */
function contractsOf(spec: JobSpec): Record<string, ContractDocument> {
  const out: Record<string, ContractDocument> = {};
  for (const [output, snapshot] of Object.entries(spec.contracts)) {
    const parsed = parseContractDocument(snapshot.document);
    if (!parsed.ok) throw new SpecRefused('job.contract_invalid', `the contract of ${output} does not read: ${parsed.problems[0]?.message ?? ''}`);
    if (contentHash(parsed.contract) !== snapshot.content_hash) {
      throw new SpecRefused('job.contract_hash_mismatch', `the contract of ${output} does not match its approved hash`);
    }
    if (parsed.contract.output !== output) throw new SpecRefused('job.contract_invalid', `the contract given for ${output} governs ${parsed.contract.output}`);
    out[output] = parsed.contract;
  }
  return out;
}

async function runJob(spec: JobSpec): Promise<void> {
  const parser = getParser(spec.parserId);
  if (!parser || parser.version !== spec.parserVersion) {
    throw new SpecRefused(
      'job.parser_version_unavailable',
      `parser ${spec.parserId} ${spec.parserVersion} is not the one installed (${parser ? parser.version : 'none'})`,
    );
  }
  const contracts = contractsOf(spec);
  const startedAt = performance.now();
  const cpuAtStart = process.cpuUsage();
  mkdirSync(spec.stagingDir, { recursive: true });
  let lastSent = 0;
  let pending: WorkerProgress | null = null;
  const result = await runPipeline({
    filePath: spec.filePath,
    parserId: spec.parserId,
    contracts,
    policies: spec.quarantinePolicies, // G: quarantine settings cascade
    // A byte-range part of a job split across workers (E, issue 9).
    range: spec.range,
    partOfJob: spec.range !== undefined,
    jobId: spec.jobId,
    stagingDir: spec.stagingDir,
    // The upload's sha256 is known: no first pass over the file to hash it.
    sourceHash: spec.fileSha256,
    onProgress: (p) => {
      pending = { bytes: p.bytes, totalBytes: p.totalBytes, rows: p.rows, rowsPerSec: Math.max(0, p.rowsPerSec) };
      const now = Date.now();
      if (now - lastSent >= PROGRESS_INTERVAL_MS) {
        lastSent = now;
        void send({ type: 'progress', progress: pending });
        pending = null;
      }
    },
  });
  if (pending) await send({ type: 'progress', progress: pending });
  const cpu = process.cpuUsage(cpuAtStart);
  const peak = ownPeakRssMb();
  await send({
    type: 'result',
    result: {
      ...(result as never as Record<string, unknown>),
      ...(peak !== null ? { peak_rss_mb: peak } : {}),
      run_ms: Math.round(performance.now() - startedAt),
      cpu_ms: Math.round((cpu.user + cpu.system) / 1000),
      duckdb_allocator_conf: process.env.DUCKDB_JE_MALLOC_CONF ?? null,
      max_semi_space_mb: ownMaxSemiSpaceMb(),
      bundled: BUNDLED,
      ...(startupMs !== null ? { startup_ms: startupMs } : {}),
    } as never,
  });
}

/**
 * This process's own peak resident set (VmHWM of /proc/self/status), in MB. Not
 * process.resourceUsage().maxRSS: getrusage's maxrss survives execve, so a worker forked from a
 * large server reports the server's size at fork time instead of its own.
 */
function ownPeakRssMb(): number | null {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null; // not Linux: no figure rather than a wrong one
  }
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function main(): void {
  if (!process.send) {
    console.error('worker/main.ts runs as a child process of the dispatcher (IPC channel required)');
    process.exit(2);
  }
  // The dispatcher is gone (server crash or stop): stop at once, it will re-run the job.
  process.on('disconnect', () => process.exit(1));
  let started = false;
  process.on('message', (raw: unknown) => {
    const parsed = toWorkerMessageSchema.safeParse(raw);
    if (!parsed.success || started) {
      void send({ type: 'failed', code: 'job.bad_spec', message: 'the worker received a malformed or second job spec', retryable: false }).then(() =>
        process.exit(1),
      );
      return;
    }
    started = true;
    const spec = parsed.data.spec;
    const heartbeat = setInterval(() => void send({ type: 'heartbeat' }), spec.heartbeatMs);
    runJob(spec)
      .then(() => process.exit(0))
      .catch(async (e: unknown) => {
        clearInterval(heartbeat);
        const refused = e instanceof SpecRefused;
        // Reliability (helper C): a disk-full / EIO is reported with its stable io.* code.
        const io = refused ? null : ioFailureOf(e);
        await send({
          type: 'failed',
          code: refused ? e.code : io ? io.code : 'job.worker_error',
          message: io ? io.message : errorMessage(e).slice(0, 2000),
          retryable: io ? io.retryable : !refused,
        });
        process.exit(1);
      });
  });
  startupMs = Math.round(process.uptime() * 1000);
  void send({ type: 'ready', pid: process.pid });
}

main();
