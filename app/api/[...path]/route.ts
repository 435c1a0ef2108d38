// Any /api path no route handles: 404 in the API's one error shape (not Next.js's HTML page).
import { ApiError, withRoute } from '../../../lib/server/http/route';

const notFound = withRoute({ permission: null }, async (req) => {
  throw new ApiError('not_found', 404, `No API route ${req.method} ${new URL(req.url).pathname}.`);
});

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
