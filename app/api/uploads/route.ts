// POST /api/uploads?kind=fix|confirmations&filename=NAME, raw file as body (optionally gzip)
// → 201 {"upload_id","sha256","job_ids":[…],"duplicate_of","size_bytes"}.
import { withRoute } from '../../../lib/server/http/route';
import { acceptUpload } from '../../../lib/server/uploads/uploads-service';

export const dynamic = 'force-dynamic';

export const POST = withRoute({ permission: 'uploads.create' }, async (req, _ctx, user) => {
  return Response.json(await acceptUpload(req, user), { status: 201 });
});
