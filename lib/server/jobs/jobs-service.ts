// What app/ (pages and route handlers) calls: the jobs reads on the process's database.
// app/ never imports db/ itself (DESIGN.md, "Layout").
import { getDb } from '../../../db/open';
import { JOB_STATUSES, type JobStatus } from '../../../db/jobs/job-row';
import { jobQuarantineOverview, readJobQuarantine, type QuarantineOverview, type QuarantineRequest, type QuarantineResponse } from './job-quarantine';
import { isJobId } from './job-paths';
import { dispatcherLookup } from './dispatcher-lookup';
import { ApiError } from '../http/api-error';
import { decodeJobCursor, jobDetailView, listJobViews, type JobDetailView, type JobListPage } from './job-views';

export { JOB_STATUSES, type JobStatus };

/** A page of the jobs list (newest first); `before`: the cursor of the page's predecessor (JobListPage.older). */
export async function jobsForList(opts: { limit?: number; status?: JobStatus; before?: string | null } = {}): Promise<JobListPage> {
  const before = opts.before ? decodeJobCursor(opts.before) : null;
  if (opts.before && !before) throw new ApiError('jobs.bad_cursor', 400, 'The cursor is not one this server issued.');
  return listJobViews(await getDb(), { limit: opts.limit, status: opts.status, before, dispatcher: dispatcherLookup() });
}

/** null for an unknown (or malformed) id. */
export async function jobForDetail(id: string): Promise<JobDetailView | null> {
  return isJobId(id) ? jobDetailView(await getDb(), id, dispatcherLookup()) : null;
}

export async function jobQuarantine(q: QuarantineRequest): Promise<QuarantineResponse> {
  return readJobQuarantine(await getDb(), q);
}

export async function jobQuarantineSummary(id: string, samples = 3): Promise<QuarantineOverview> {
  return jobQuarantineOverview(await getDb(), id, samples);
}
