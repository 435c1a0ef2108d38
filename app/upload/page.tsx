// Upload a FIX log or a confirmations file; the transfer, then the job, show their progress.
import { requirePageUser } from '../../lib/server/auth/current-user';
import { hasPermission } from '../../lib/server/permissions';
import { uploadLimits } from '../../lib/server/uploads/upload-limits';
import { UploadForm } from './upload-form';

export default async function UploadPage() {
  const user = await requirePageUser('uploads.create', '/upload');
  return (
    <>
      <h1>Upload</h1>
      <UploadForm maxBytes={uploadLimits().maxBytes} canOverride={hasPermission(user, 'quarantine.override')} canReadBreaks={hasPermission(user, 'breaks.read')} />
    </>
  );
}
