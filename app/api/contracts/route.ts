// GET /api/contracts → {"contracts":[…]}: every scope with its approved version and pending proposals.
// POST /api/contracts (body = contract document) → 201 {"id","version","status","content_hash"}: a new draft.
import { z } from 'zod';
import { readJson, withRoute } from '../../../lib/server/http/route';
import { contractsForList, proposeContract } from '../../../lib/server/contracts';

export const dynamic = 'force-dynamic';

export const GET = withRoute({ permission: 'contracts.read' }, async () => {
  return Response.json({ contracts: await contractsForList() });
});

// The document itself is read by parseContractDocument (every problem reported with its code).
const anyObject = z.record(z.string(), z.unknown());

export const POST = withRoute({ permission: 'contracts.propose' }, async (req, _ctx, user) => {
  const document = await readJson(req, anyObject);
  const created = await proposeContract(user, document);
  return Response.json(created, { status: 201 });
});
