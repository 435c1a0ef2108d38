// The jobs list: every job with its status, row counts, quarantine share, duration and
// throughput, and the pipeline run (logical date, snapshot hash) that created it, if any;
// running jobs show live progress (the table polls /api/jobs). A page at a time: 100 jobs, newest
// first, and links to older ones (?before=).
import { requirePageUser } from '../../lib/server/auth/current-user';
import { isApiError } from '../../lib/server/http/api-error';
import { jobsForList } from '../../lib/server/jobs/jobs-service';
import { JobsTable } from './jobs-table';

export const dynamic = 'force-dynamic';

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function JobsPage({ searchParams }: Props) {
  await requirePageUser('jobs.read', '/jobs');
  const q = await searchParams;
  const asked = typeof q.before === 'string' && q.before.length > 0 ? q.before : null;
  // A cursor that is not one of ours shows the newest jobs.
  const page = await jobsForList({ before: asked }).catch((e: unknown) => {
    if (isApiError(e)) return null;
    throw e;
  });
  const before = page ? asked : null;
  const { jobs, older } = page ?? (await jobsForList());
  return (
    <>
      <h1>Jobs</h1>
      <JobsTable key={before ?? 'newest'} initial={jobs} before={before} older={older} />
    </>
  );
}
