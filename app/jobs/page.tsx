// The jobs list: every job with its status, row counts, quarantine share, duration and
// throughput, and the pipeline run (logical date, snapshot hash) that created it, if any;
// running jobs show live progress (the table polls /api/jobs).
import { requirePageUser } from '../../lib/server/auth/current-user';
import { jobsForList } from '../../lib/server/jobs/jobs-service';
import { JobsTable } from './jobs-table';

export const dynamic = 'force-dynamic';

export default async function JobsPage() {
  await requirePageUser('jobs.read', '/jobs');
  const jobs = await jobsForList();
  return (
    <>
      <h1>Jobs</h1>
      <JobsTable initial={jobs} />
    </>
  );
}
