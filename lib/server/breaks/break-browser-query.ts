// The break browser's state as it travels in the URL (page and export route share it): filters,
// ClOrdID search (exact, or a prefix ending in '*'), sort and keyset cursors. Unknown or bad
// values are dropped rather than refused, so a hand-edited URL still shows a page.
import { z } from 'zod';
import type { BreakFilters } from './breaks-service';

export const BREAK_STATUSES = ['open', 'investigating', 'resolved', 'false_positive'] as const;
export const BREAK_AGE_BUCKETS = ['0', '1', '2-4', '5+'] as const;
export const BREAK_SORT_COLUMNS = ['first_seen', 'trade_date', 'age_days', 'severity', 'notional', 'class', 'status', 'cl_ord_id', 'symbol', 'account', 'assignee'] as const;
export type BreakSortColumnName = (typeof BREAK_SORT_COLUMNS)[number];

const text = (max: number) => z.string().trim().min(1).max(max).optional().catch(undefined);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().catch(undefined);

const schema = z.object({
  class: text(64),
  status: z.enum(BREAK_STATUSES).optional().catch(undefined),
  cl_ord_id: text(128),
  symbol: text(64),
  account: text(64),
  assignee: text(64),
  age: z.enum(BREAK_AGE_BUCKETS).optional().catch(undefined),
  from: isoDate,
  to: isoDate,
  sort: z.enum(BREAK_SORT_COLUMNS).default('first_seen').catch('first_seen'),
  dir: z.enum(['asc', 'desc']).default('desc').catch('desc'),
  cursor: text(512),
  before: text(512),
  /** Rows per page. */
  limit: z.coerce.number().int().min(5).max(200).default(50).catch(50),
});
export type BreakBrowserQuery = z.infer<typeof schema>;

/** The filter keys: changing any of them drops the cursors (back to the first page). */
export const FILTER_KEYS = ['class', 'status', 'cl_ord_id', 'symbol', 'account', 'assignee', 'age', 'from', 'to'] as const;

export function parseBreakBrowserQuery(params: Record<string, string | string[] | undefined> | URLSearchParams): BreakBrowserQuery {
  const flat: Record<string, string> = {};
  const entries = params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params);
  for (const [k, v] of entries) {
    const one = Array.isArray(v) ? v[0] : v;
    if (one !== undefined && one !== '') flat[k] = one;
  }
  return schema.parse(flat);
}

export function filtersOf(q: BreakBrowserQuery): BreakFilters {
  return {
    classes: q.class ? [q.class] : undefined,
    statuses: q.status ? [q.status] : undefined,
    clOrdId: q.cl_ord_id,
    symbol: q.symbol,
    account: q.account,
    assignee: q.assignee,
    ageBucket: q.age,
    tradeDateFrom: q.from,
    tradeDateTo: q.to,
  };
}

/** The query string of the filters (and page size) only: the export links and the first page. */
export function filterSearchParams(q: BreakBrowserQuery): URLSearchParams {
  const out = new URLSearchParams();
  for (const k of FILTER_KEYS) {
    const v = q[k];
    if (v) out.set(k, v);
  }
  if (q.limit !== 50) out.set('limit', String(q.limit));
  return out;
}
