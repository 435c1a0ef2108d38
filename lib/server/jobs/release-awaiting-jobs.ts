// AWAITING_CONTRACT → QUEUED for every waiting job whose parser's outputs now all have an
// approved contract. Called after any contract approval (in or after its transaction).
import type { Db } from '../../../db/open';
import { jobsWithStatus, setJobStatus } from '../../../db/jobs/job-queries';
import { appendAudit } from '../audit/append-audit';
import { approvedContractsFor, contractOutputsOf } from './approved-contracts';
import { notifyJobsReady } from './dispatcher-signal';
import { findParser } from './parsers-for-upload';

export async function releaseAwaitingJobs(db: Db, actor = 'system'): Promise<string[]> {
  const released = await db.transaction(async (tx) => {
    const out: string[] = [];
    for (const job of await jobsWithStatus(tx, 'AWAITING_CONTRACT')) {
      const parser = findParser(job.parser_id);
      // A job of a parser version no longer installed keeps waiting; the dispatcher would fail it.
      if (!parser || parser.version !== job.parser_version) continue;
      const { missing } = await approvedContractsFor(tx, parser, contractOutputsOf(parser));
      if (missing.length > 0) continue;
      if (!(await setJobStatus(tx, job.id, 'AWAITING_CONTRACT', 'QUEUED'))) continue;
      await appendAudit(tx, { actor, action: 'job.released', subject: `job:${job.id}`, details: { reason: 'contracts approved' } });
      out.push(job.id);
    }
    return out;
  });
  if (released.length > 0) notifyJobsReady();
  return released;
}
