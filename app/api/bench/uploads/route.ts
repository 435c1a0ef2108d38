// GET /api/bench/uploads?parser_id= → {"parsers","uploads","contracts"}: the uploaded files the
// parser reads (with the status of its latest job on each) and the contract versions of its outputs.
import { ApiError, withRoute } from '../../../../lib/server/http/route';
import { benchParsers, benchUploadsFor } from '../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'contracts.read' }, async (req) => {
  const parserId = new URL(req.url).searchParams.get('parser_id') ?? '';
  const parsers = benchParsers();
  if (!parsers.some((p) => p.id === parserId)) throw new ApiError('bench.unknown_parser', 400, 'Query parameter parser_id must name a registered parser.');
  return Response.json({ parsers, ...(await benchUploadsFor(parserId)) });
});
