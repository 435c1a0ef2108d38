// Upload → jobs: one job per upload and parser. A job starts QUEUED when every data output of
// its parser has an approved contract, else AWAITING_CONTRACT (released by releaseAwaitingJobs
// when the missing approvals arrive). Enqueueing the same upload twice returns the live job.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/open';
import { findLiveJobForUpload, insertJob } from '../../../db/jobs/job-queries';
import { appendAudit } from '../audit/append-audit';
import { approvedContractsFor, contractOutputsOf } from './approved-contracts';
import { notifyJobsReady } from './dispatcher-signal';
import { findParser, parserIdsForKind, type UploadKind } from './parsers-for-upload';

export interface EnqueueInput {
  uploadId: string;
  sha256: string;
  kind: UploadKind;
  /** Absolute path of the stored upload (data/uploads/<sha256>). */
  path: string;
  actor: string;
  /** Original file name, shown in lineage (escaped metadata, never a path). */
  name?: string | null;
  bytes?: number | null;
}

export class EnqueueError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Attempts per job: the first run and up to three retries (JOB_MAX_ATTEMPTS overrides). */
export function maxAttempts(): number {
  const n = Number(process.env.JOB_MAX_ATTEMPTS ?? 4);
  return Number.isInteger(n) && n >= 1 ? n : 4;
}

export async function enqueueJobsForUpload(db: Db, input: EnqueueInput): Promise<string[]> {
  const parserIds = parserIdsForKind(input.kind);
  if (!parserIds) throw new EnqueueError('job.unknown_kind', `no parser handles uploads of kind ${String(input.kind)}`);
  let queued = false;
  const ids = await db.transaction(async (tx) => {
    const out: string[] = [];
    for (const parserId of parserIds) {
      const parser = findParser(parserId);
      if (!parser) throw new EnqueueError('job.unknown_parser', `parser ${parserId} is not registered`);
      const live = await findLiveJobForUpload(tx, input.uploadId, parser.id, parser.version);
      if (live) {
        out.push(live.id);
        continue;
      }
      const { missing } = await approvedContractsFor(tx, parser, contractOutputsOf(parser));
      const status = missing.length === 0 ? 'QUEUED' : 'AWAITING_CONTRACT';
      const id = randomUUID();
      await insertJob(tx, {
        id,
        uploadId: input.uploadId,
        sourcePath: input.path,
        sourceSha256: input.sha256,
        sourceName: input.name ?? null,
        sourceBytes: input.bytes ?? null,
        parserId: parser.id,
        parserVersion: parser.version,
        logicHash: parser.logicHash(),
        status,
        maxAttempts: maxAttempts(),
        createdBy: input.actor,
      });
      await appendAudit(tx, {
        actor: input.actor,
        action: 'job.enqueued',
        subject: `job:${id}`,
        details: { upload_id: input.uploadId, parser_id: parser.id, parser_version: parser.version, status, awaiting: missing },
      });
      if (status === 'QUEUED') queued = true;
      out.push(id);
    }
    return out;
  });
  if (queued) notifyJobsReady();
  return ids;
}
