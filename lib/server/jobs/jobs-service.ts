// What app/ (pages and route handlers) calls: the jobs reads on the process's database.
// app/ never imports db/ itself (DESIGN.md, "Layout").
import { getDb } from '../../../db/open';
import { JOB_STATUSES, type JobStatus } from '../../../db/jobs/job-row';
import { jobQuarantineOverview, readJobQuarantine, type QuarantineOverview, type QuarantineRequest, type QuarantineResponse } from './job-quarantine';
import { isJobId } from './job-paths';
import { dispatcherLookup } from './dispatcher-lookup';
import { jobDetailView, listJobViews, type JobDetailView, type JobView } from './job-views';

export { JOB_STATUSES, type JobStatus };

export async function jobsForList(opts: { limit?: number; status?: JobStatus } = {}): Promise<JobView[]> {
  return listJobViews(await getDb(), { ...opts, dispatcher: dispatcherLookup() });
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
