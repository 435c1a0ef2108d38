// Start-up repair, run before the dispatcher claims anything. After a crash at any point the
// state is made either the old one or the new one:
//   - staging/<job>/ of a job whose promotion committed → the renames are finished (new state);
//   - a job left RUNNING → its attempt is marked abandoned and the job re-queued (old state);
//   - every other staging directory is an orphan (no worker of this server writes to it: workers
//     exit when their dispatcher disconnects) → deleted.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../../../db/open';
import { abandonRunningJob } from '../../../db/jobs/attempt-queries';
import { jobsWithStatus } from '../../../db/jobs/job-queries';
import { isJobPromoted } from '../../../db/jobs/promotion-queries';
import { appendAudit } from '../audit/append-audit';
import { isJobId, stagingRoot } from './job-paths';
import { rollForwardPromotion } from './roll-forward-promotion';

export interface Recovery {
  rolledForward: string[];
  requeued: string[];
  removedStaging: string[];
}

export async function recoverOnStart(db: Db, dataDir: string): Promise<Recovery> {
  const out: Recovery = { rolledForward: [], requeued: [], removedStaging: [] };
  const root = stagingRoot(dataDir);
  const entries = existsSync(root) ? await readdir(root) : [];
  for (const name of entries) {
    if (isJobId(name) && (await isJobPromoted(db, name))) {
      await rollForwardPromotion(dataDir, name);
      out.rolledForward.push(name);
    }
  }
  for (const job of await jobsWithStatus(db, 'RUNNING')) {
    await db.transaction(async (tx) => {
      if (await abandonRunningJob(tx, job.id, 'the server restarted during the attempt')) {
        await appendAudit(tx, {
          actor: 'system',
          action: 'job.requeued',
          subject: `job:${job.id}`,
          details: { attempt: job.attempts, reason: 'server restart' },
        });
        out.requeued.push(job.id);
      }
    });
  }
  for (const name of entries) {
    if (out.rolledForward.includes(name)) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
    out.removedStaging.push(name);
  }
  return out;
}
