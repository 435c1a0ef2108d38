// The messages between the dispatcher (server process) and a worker process, validated with
// zod on both sides: a worker trusts nothing it did not check, and the dispatcher treats a
// malformed message from a worker as a failed attempt.
import { z } from 'zod';
import { quarantinePolicySchema } from '../lib/contracts/contract-document';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const contractSnapshotSchema = z
  .object({
    contract_id: z.string().min(1),
    version: z.number().int().min(1),
    content_hash: sha256Hex,
    /** The approved contract document; the worker re-reads it and checks its hash. */
    document: z.unknown(),
  })
  .strict();
export type ContractSnapshotMessage = z.infer<typeof contractSnapshotSchema>;

export const jobSpecSchema = z
  .object({
    jobId: z.string().uuid(),
    attempt: z.number().int().min(1),
    filePath: z.string().min(1),
    fileSha256: sha256Hex,
    parserId: z.string().min(1),
    parserVersion: z.string().min(1),
    logicHash: z.string().min(1),
    /** Output name → the approved contract it runs against. */
    contracts: z.record(z.string(), contractSnapshotSchema),
    /** G (issue 6): output → effective quarantine policy from the settings cascade (default: the contract's). */
    quarantinePolicies: z.record(z.string(), quarantinePolicySchema).optional(),
    /**
     * Byte-range part of a job split across workers (lib/server/jobs/run-ranged-attempt.ts):
     * [start, end) of the file, and the line number / message index of its first byte. A part
     * does not apply the quarantine policy and writes its result_hash row digests for the merge.
     */
    range: z
      .object({ start: z.number().int().min(0), end: z.number().int().min(0), baseLine: z.number().int().min(1), baseMessageIndex: z.number().int().min(0) })
      .strict()
      .optional(),
    /** Empty directory the worker writes into; nothing else is written anywhere. */
    stagingDir: z.string().min(1),
    /** Milliseconds between heartbeats the worker sends while it runs. */
    heartbeatMs: z.number().int().min(10),
  })
  .strict();
export type JobSpec = z.infer<typeof jobSpecSchema>;

/** Dispatcher → worker. */
export const toWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('run'), spec: jobSpecSchema }).strict(),
]);
export type ToWorkerMessage = z.infer<typeof toWorkerMessageSchema>;

const count = z.number().int().min(0);

export const progressSchema = z
  .object({ bytes: count, totalBytes: count, rows: count, rowsPerSec: z.number().min(0) })
  .strict();
export type WorkerProgress = z.infer<typeof progressSchema>;

export const outputResultSchema = z
  .object({
    status: z.string().min(1),
    rows: count,
    quarantine_rows: count,
    violations: z.record(z.string(), count),
    result_hash: z.string().nullable().optional(),
    files: z.array(z.string()),
  })
  .passthrough();

export const runResultSchema = z
  .object({
    status: z.enum(['SUCCESS', 'PARTIAL_SUCCESS', 'FAILED']),
    outputs: z.record(z.string(), outputResultSchema),
    manifest: z.unknown(),
    parse_summary: z.unknown(),
    /** The worker's own peak resident set (process.resourceUsage().maxRSS, i.e. VmHWM) when it sent the result, in MB. */
    peak_rss_mb: z.number().min(0).optional(),
    /** Wall and CPU time of the worker's run, in ms (user + system, all threads). */
    run_ms: z.number().min(0).optional(),
    cpu_ms: z.number().min(0).optional(),
    /** DUCKDB_JE_MALLOC_CONF the worker ran with (null: jemalloc's compiled-in options; lib/server/jobs/worker-env.ts). */
    duckdb_allocator_conf: z.string().nullable().optional(),
    /** V8's semi-space size the worker was started with, in MiB (null: V8's default; lib/server/jobs/worker-env.ts). */
    max_semi_space_mb: z.number().int().min(0).nullable().optional(),
    /** True when the worker ran from the prebuilt bundle, false from the sources through tsx (lib/server/jobs/worker-bundle.ts). */
    bundled: z.boolean().optional(),
    /** The worker's own start: process start → ready for its job (Node, its modules), in ms. */
    startup_ms: z.number().min(0).optional(),
  })
  .passthrough();
export type WorkerRunResult = z.infer<typeof runResultSchema>;

/** Worker → dispatcher. */
export const fromWorkerMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int() }).strict(),
  z.object({ type: z.literal('heartbeat') }).strict(),
  z.object({ type: z.literal('progress'), progress: progressSchema }).strict(),
  z.object({ type: z.literal('result'), result: runResultSchema }).strict(),
  z
    .object({
      type: z.literal('failed'),
      code: z.string().min(1),
      message: z.string(),
      /** false when running again cannot help (wrong parser version, contract hash mismatch). */
      retryable: z.boolean(),
    })
    .strict(),
]);
export type FromWorkerMessage = z.infer<typeof fromWorkerMessageSchema>;
