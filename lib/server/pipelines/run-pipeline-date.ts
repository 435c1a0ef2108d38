// run --logical-date: idempotent per pipeline and logical date. A completed run for the date
// makes a later run a no-op that says so. Otherwise: select files, snapshot them, skip the files
// whose materialisation key was already processed, store each new file through the upload
// store and enqueue its jobs, and record the run (completed or failed) with its watermark.
// Runs of one pipeline are serialised in this process (the server is the only writer).
import { createReadStream } from 'node:fs';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Readable } from 'node:stream';
import { dataDir as defaultDataDir, type Db } from '../../../db/open';
import { completedRun, insertMaterialisation, insertRun, findMaterialisation, latestDefinition, pipelineWatermark } from '../../../db/pipelines/pipeline-queries';
import { parseLogicalDate } from '../../pipelines/logical-date';
import type { PipelineDefinition } from '../../pipelines/pipeline-definition';
import { buildSnapshot, materialisationKey, nextWatermark, type SnapshotFile } from '../../pipelines/selection-snapshot';
import { getParser } from '../../parsers/registry';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { enqueueJobsForUpload } from '../jobs/enqueue-jobs';
import { recordUpload } from '../uploads/record-upload';
import type { UploadKind } from '../uploads/sniff-content';
import { storeUploadStream } from '../uploads/store-upload-stream';
import { uploadLimits } from '../uploads/upload-limits';
import { contractHashForParser } from './contract-hash-for-parser';
import { pipelineRoot, resolveUnderRoot } from './pipeline-root';
import { selectFiles } from './select-files';
import { realpath } from 'node:fs/promises';

export type RunStatus = 'completed' | 'no_op' | 'failed' | 'dry_run';

export interface RunOutcome {
  status: RunStatus;
  pipeline: string;
  logical_date: string;
  snapshot_hash: string | null;
  files: number;
  skipped_files: number;
  job_ids: string[];
  run_id: string | null;
  message: string;
  selected?: SnapshotFile[];
  error?: { code: string; message: string };
}

export interface RunDeps {
  db: Db;
  actor: string;
  root?: string;
  dataDir?: string;
  trigger?: 'run' | 'backfill' | 'schedule';
}

const KIND_BY_PARSER: Record<string, UploadKind> = { fix: 'fix', confirmations_csv: 'confirmations' };

const running = new Map<string, Promise<unknown>>();

/** Serialises the runs of one pipeline (a second caller waits, then sees the first one's result). */
async function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(fn);
  running.set(key, next);
  try {
    return await next;
  } finally {
    if (running.get(key) === next) running.delete(key);
  }
}

export async function loadDefinition(db: Db, name: string): Promise<{ version: number; definition: PipelineDefinition }> {
  const row = await latestDefinition(db, name);
  if (!row) throw new ApiError('pipeline.not_found', 404, `No pipeline is named ${JSON.stringify(name)}.`);
  return { version: row.version, definition: JSON.parse(row.definition) as PipelineDefinition };
}

export async function runPipelineForDate(deps: RunDeps, input: { name: string; logicalDate: string; dryRun?: boolean }): Promise<RunOutcome> {
  const date = parseLogicalDate(input.logicalDate);
  if (!date.ok) throw new ApiError(date.code, 400, date.message);
  const { version, definition } = await loadDefinition(deps.db, input.name);
  return serialised(`pipeline:${definition.name}`, () => runLocked(deps, definition, version, date.date, input.dryRun ?? false));
}

async function runLocked(deps: RunDeps, def: PipelineDefinition, version: number, logicalDate: string, dryRun: boolean): Promise<RunOutcome> {
  const base = { pipeline: def.name, logical_date: logicalDate };
  if (!dryRun) {
    const done = await completedRun(deps.db, def.name, logicalDate);
    if (done) {
      return {
        ...base,
        status: 'no_op',
        snapshot_hash: done.snapshot_hash,
        files: done.files,
        skipped_files: done.skipped_files,
        job_ids: JSON.parse(done.job_ids) as string[],
        run_id: done.id,
        message: `Already run for ${logicalDate} (run ${done.id}); nothing was done.`,
      };
    }
  }
  const root = deps.root ?? pipelineRoot();
  const sourceDir = await resolveUnderRoot(root, def.source.dir);
  const realRoot = await realpath(root);
  const selected = await selectFiles(realRoot, sourceDir, def, logicalDate);
  const snapshot = buildSnapshot(selected.map(({ path: p, size, mtime, sha256 }) => ({ path: p, size, mtime, sha256 })));
  if (dryRun) {
    return {
      ...base,
      status: 'dry_run',
      snapshot_hash: snapshot.hash,
      files: snapshot.files.length,
      skipped_files: 0,
      job_ids: [],
      run_id: null,
      message: `Dry run: ${snapshot.files.length} file(s) selected; nothing was written.`,
      selected: snapshot.files,
    };
  }

  const runId = randomUUID();
  const startedAt = new Date().toISOString();
  const jobIds: string[] = [];
  let skipped = 0;
  let status: 'completed' | 'failed' = 'completed';
  let error: { code: string; message: string } | undefined;
  try {
    const parser = getParser(def.parser);
    if (!parser) throw new ApiError('pipeline.unknown_parser', 422, `Parser ${def.parser} is not registered.`);
    const contractHash = await contractHashForParser(deps.db, parser);
    const kind = KIND_BY_PARSER[def.parser];
    const uploadsDir = path.join(deps.dataDir ?? defaultDataDir(), 'uploads');
    const byPath = new Map(selected.map((f) => [f.path, f]));
    for (const f of snapshot.files) {
      const mkey = materialisationKey({ sha256: f.sha256, parserId: parser.id, parserVersion: parser.version, contractHash });
      if (await findMaterialisation(deps.db, mkey)) {
        skipped++;
        continue;
      }
      const abs = byPath.get(f.path)!.absolutePath;
      const body = Readable.toWeb(createReadStream(abs)) as ReadableStream<Uint8Array>;
      const stored = await storeUploadStream(body, { uploadsDir, kind, nameSaysGzip: f.path.toLowerCase().endsWith('.gz'), limits: uploadLimits() });
      const name = path.posix.basename(f.path);
      const recorded = await recordUpload(deps.db, { stored, kind, originalName: name, actor: deps.actor });
      const ids = await enqueueJobsForUpload(deps.db, {
        uploadId: recorded.canonicalUploadId,
        sha256: stored.sha256,
        kind,
        path: stored.path,
        actor: deps.actor,
        name,
        bytes: stored.sizeBytes,
      });
      await insertMaterialisation(deps.db, { mkey, pipeline: def.name, sha256: f.sha256, uploadId: recorded.canonicalUploadId, jobIds: ids, runId });
      jobIds.push(...ids);
    }
  } catch (e) {
    status = 'failed';
    const code = typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : 'pipeline.run_failed';
    error = { code, message: e instanceof Error ? e.message : String(e) };
  }
  const watermark = status === 'completed' ? nextWatermark(await pipelineWatermark(deps.db, def.name), snapshot.files) : null;
  await deps.db.transaction(async (tx) => {
    await insertRun(tx, {
      id: runId,
      pipeline: def.name,
      definition_version: version,
      logical_date: logicalDate,
      status,
      trigger: deps.trigger ?? 'run',
      snapshot_hash: snapshot.hash,
      snapshot: JSON.stringify(snapshot.files),
      files: snapshot.files.length,
      skipped_files: skipped,
      job_ids: JSON.stringify(jobIds),
      watermark,
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
      started_by: deps.actor,
      started_at: startedAt,
    });
    await appendAudit(tx, {
      actor: deps.actor,
      action: status === 'completed' ? 'pipeline.run_completed' : 'pipeline.run_failed',
      subject: `pipeline:${def.name}@${logicalDate}`,
      details: { run_id: runId, snapshot_hash: snapshot.hash, files: snapshot.files.length, skipped_files: skipped, job_ids: jobIds, error: error ?? null },
    });
  });
  return {
    ...base,
    status,
    snapshot_hash: snapshot.hash,
    files: snapshot.files.length,
    skipped_files: skipped,
    job_ids: jobIds,
    run_id: runId,
    message:
      status === 'completed'
        ? `Run for ${logicalDate}: ${snapshot.files.length} file(s) selected, ${skipped} already processed, ${jobIds.length} job(s) started.`
        : `Run for ${logicalDate} failed: ${error!.message}`,
    ...(error ? { error } : {}),
  };
}
