// Retention: purge quarantined rows and uploads older than N days (dry run first).
import { requirePageUser } from '../../../lib/server/auth/current-user';
import { AdminTabs } from '../admin-tabs';
import { RetentionForm } from './retention-form';

export const dynamic = 'force-dynamic';

export default async function RetentionPage() {
  await requirePageUser('retention.manage', '/admin/retention');
  return (
    <>
      <h1>Retention</h1>
      <AdminTabs current="retention" />
      <p>
        Purges the quarantined rows of jobs created more than N days ago and the uploads received more than N days ago. An upload a
        job inside the window (or an unfinished job) still refers to is kept. Run a dry run first; the purge is audited.
      </p>
      <RetentionForm />
    </>
  );
}
