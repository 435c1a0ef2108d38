// GET /api/breaks?class=&status=&cl_ord_id=&symbol=&account=&assignee=&age=&from=&to=&cursor=&limit=
// → {"items":[…],"next_cursor","counts":{class:n}}: newest first, keyset pagination.
import { z } from 'zod';
import { breaksPage, MAX_BREAKS_PAGE } from '../../../lib/server/breaks/breaks-service';
import { withRoute } from '../../../lib/server/http/route';

export const dynamic = 'force-dynamic';

const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const query = z.object({
  class: list.optional(),
  status: list.pipe(z.array(z.enum(['open', 'investigating', 'resolved', 'false_positive']))).optional(),
  cl_ord_id: z.string().min(1).max(128).optional(),
  symbol: z.string().max(64).optional(),
  account: z.string().max(64).optional(),
  assignee: z.string().max(64).optional(),
  age: z.enum(['0', '1', '2-4', '5+']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  cursor: z.string().max(512).optional(),
  limit: z.coerce.number().int().min(1).max(MAX_BREAKS_PAGE).default(50),
});

export const GET = withRoute({ permission: 'breaks.read' }, async (req) => {
  const params = Object.fromEntries([...new URL(req.url).searchParams].filter(([, v]) => v !== ''));
  const q = query.parse(params);
  const page = await breaksPage({
    filters: {
      classes: q.class, statuses: q.status, clOrdId: q.cl_ord_id, symbol: q.symbol, account: q.account, assignee: q.assignee,
      ageBucket: q.age, tradeDateFrom: q.from, tradeDateTo: q.to,
    },
    cursor: q.cursor ?? null,
    limit: q.limit,
  });
  return Response.json({
    items: page.items.map((b) => ({
      break_id: b.break_id, class: b.class, cl_ord_id: b.cl_ord_id, session: b.session, status: b.status, severity: b.severity,
      age_days: b.age_days, details: b.details, assignee: b.assignee, symbol: b.symbol, account: b.account, trade_date: b.trade_date,
      notional: b.notional,
    })),
    next_cursor: page.next_cursor,
    counts: page.counts,
  });
});
