// POST /api/bench/test {"upload_id","contract_id","version","max_rows"?} → the numbers of one file
// against one contract version (any status, drafts included) on a capped sample: rows,
// quarantine %, status under the contract's policy, top violations. Stores nothing.
import { z } from 'zod';
import { readJson, withRoute } from '../../../../lib/server/http/route';
import { benchTestFile, clampRows, TEST_DEFAULT_ROWS, TEST_MAX_ROWS } from '../../../../lib/server/bench/bench-service';

export const dynamic = 'force-dynamic';

const body = z.object({
  upload_id: z.string().min(1),
  contract_id: z.string().min(1),
  version: z.number().int().positive(),
  max_rows: z.number().int().positive().optional(),
});

export const POST = withRoute({ permission: 'contracts.read' }, async (req) => {
  const b = await readJson(req, body);
  const result = await benchTestFile({ uploadId: b.upload_id, contractId: b.contract_id, version: b.version, maxRows: clampRows(b.max_rows, TEST_DEFAULT_ROWS, TEST_MAX_ROWS) });
  return Response.json(result);
});
