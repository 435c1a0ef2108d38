// What POST /api/uploads calls: handleUpload bound to the process database and the job queue.
import { getDb } from '../../../db/open';
import type { SessionUser } from '../auth/users';
import { enqueueJobsForUpload } from '../jobs/enqueue-jobs';
import { handleUpload, type UploadResponse } from './handle-upload';

export async function acceptUpload(req: Request, user: SessionUser): Promise<UploadResponse> {
  return handleUpload(req, user, { db: await getDb(), enqueueJobs: enqueueJobsForUpload });
}
