import type { Db } from '../open';
import { pageRows, whereOf, type BreakFilters, type BreakListItem } from './break-queries';

// The break browser's reads: a page of breaks sorted on one whitelisted column with keyset
// pagination both ways (after / before a row's key), the counts per class and per age bucket.
// Every sort key is made non-null (coalesce to a sentinel) so the keyset comparison is total;
// break_id ASC breaks ties, always.

export const BREAK_SORTS = {
  first_seen: { expr: 'first_seen', type: 'TIMESTAMPTZ' },
  trade_date: { expr: "coalesce(trade_date, DATE '0001-01-01')", type: 'DATE' },
  age_days: { expr: 'coalesce(age_days, -1)', type: 'INTEGER' },
  severity: { expr: "CASE severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END", type: 'INTEGER' },
  notional: { expr: 'coalesce(notional, -1)', type: 'DECIMAL(38, 10)' },
  class: { expr: 'class', type: 'VARCHAR' },
  status: { expr: 'status', type: 'VARCHAR' },
  cl_ord_id: { expr: "coalesce(cl_ord_id, '')", type: 'VARCHAR' },
  symbol: { expr: "coalesce(symbol, '')", type: 'VARCHAR' },
  account: { expr: "coalesce(account, '')", type: 'VARCHAR' },
  assignee: { expr: "coalesce(assignee, '')", type: 'VARCHAR' },
} as const;
export type BreakSortColumn = keyof typeof BREAK_SORTS;
export interface BreakSort {
  column: BreakSortColumn;
  desc: boolean;
}

/** A row's position in a sorted listing: its sort value as text and its break_id. */
export interface Keyset {
  /** The sort column the key was read under: a key means nothing under another sort. */
  sort: string;
  value: string;
  break_id: string;
}

export function encodeKeyset(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.sort, k.value, k.break_id]), 'utf8').toString('base64url');
}

/** null for a cursor that is not one of ours (the caller answers a 400). */
export function decodeKeyset(cursor: string): Keyset | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 3 && v.every((x) => typeof x === 'string')) return { sort: v[0], value: v[1], break_id: v[2] };
  } catch {
    // fall through
  }
  return null;
}

export const AGE_BUCKETS = ['0', '1', '2-4', '5+'] as const;

export interface BrowsePage {
  items: BreakListItem[];
  /** Cursor of the page after this one (its last row), null on the last page. */
  next_cursor: string | null;
  /** Cursor of the page before this one (its first row), null on the first page. */
  prev_cursor: string | null;
}

const COLUMNS = `break_id, class, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity,
  trade_date::VARCHAR AS trade_date, age_days, notional::VARCHAR AS notional, details, first_seen`;

/**
 * One page. `after` reads forward from a row's key, `before` reads backward (the rows just before
 * it, returned in display order). The key of a row is [its sort value as text, break_id].
 */
export async function browseBreaks(
  db: Db,
  q: { filters: BreakFilters; sort: BreakSort; after?: Keyset | null; before?: Keyset | null; limit: number },
): Promise<BrowsePage> {
  const s = BREAK_SORTS[q.sort.column];
  const w = whereOf(q.filters, true);
  const backward = !q.after && !!q.before;
  const anchor = q.after ?? q.before ?? null;
  // Reading backward flips the order; the comparison follows the order read.
  const desc = backward ? !q.sort.desc : q.sort.desc;
  const idAsc = !backward;
  const conds = [w.sql.replace(/^WHERE /, '')].filter(Boolean);
  const params = [...w.params];
  if (anchor) {
    conds.push(`((${s.expr}) ${desc ? '<' : '>'} ?::${s.type} OR ((${s.expr}) = ?::${s.type} AND break_id ${idAsc ? '>' : '<'} ?))`);
    params.push(anchor.value, anchor.value, anchor.break_id);
  }
  const rows = await pageRows(
    db,
    `${COLUMNS}, CAST((${s.expr}) AS VARCHAR) AS sort_key`,
    `FROM breaks ${conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : ''}`,
    `${s.expr} ${desc ? 'DESC' : 'ASC'}, break_id ${idAsc ? 'ASC' : 'DESC'}`,
    [...params, q.limit + 1],
  );
  const more = rows.length > q.limit;
  const page = rows.slice(0, q.limit);
  if (backward) page.reverse();
  const keyOf = (r: Record<string, unknown> | undefined) => (r ? encodeKeyset({ sort: q.sort.column, value: String(r.sort_key), break_id: String(r.break_id) }) : null);
  const first = page[0];
  const last = page[page.length - 1];
  return {
    items: page.map(toItem),
    next_cursor: backward ? (anchor ? keyOf(last) : null) : more ? keyOf(last) : null,
    prev_cursor: backward ? (more ? keyOf(first) : null) : anchor ? keyOf(first) : null,
  };
}

/**
 * Every break of the filtered set in the browser's order, a chunk at a time, from one snapshot
 * (Db.stream): the export. Reading it as keyset pages instead cost a sort of the whole set per
 * thousand rows (17 s for 172,546 breaks at 10M messages), and a pass committed between two
 * pages made the file half one pass and half the next.
 */
export async function* streamBreaks(db: Db, q: { filters: BreakFilters; sort: BreakSort }): AsyncGenerator<BreakListItem[], void, undefined> {
  const s = BREAK_SORTS[q.sort.column];
  const w = whereOf(q.filters, true);
  const sql = `SELECT ${COLUMNS} FROM breaks ${w.sql} ORDER BY ${s.expr} ${q.sort.desc ? 'DESC' : 'ASC'}, break_id ASC`;
  for await (const rows of db.stream<Record<string, unknown>>(sql, w.params)) yield rows.map(toItem);
}

function toItem(r: Record<string, unknown>): BreakListItem {
  const { sort_key: _key, ...rest } = r;
  return {
    ...(rest as unknown as BreakListItem),
    age_days: r.age_days === null || r.age_days === undefined ? null : Number(r.age_days),
    details: JSON.parse(String(r.details)),
  };
}

/** Per class over the filtered set without the class filter (so every class stays visible). */
export async function countsByClass(db: Db, filters: BreakFilters): Promise<Record<string, number>> {
  const c = whereOf(filters, false);
  const rows = await db.all<{ class: string; n: number }>(`SELECT class, count(*)::INTEGER AS n FROM breaks ${c.sql} GROUP BY 1 ORDER BY 1`, c.params);
  return Object.fromEntries(rows.map((r) => [r.class, Number(r.n)]));
}

/** Per business-day age bucket over the filtered set without the age filter (the ageing chart). */
export async function countsByAge(db: Db, filters: BreakFilters): Promise<Record<(typeof AGE_BUCKETS)[number], number>> {
  const c = whereOf({ ...filters, ageBucket: undefined }, true);
  const rows = await db.all<{ bucket: string; n: number }>(
    `SELECT CASE WHEN coalesce(age_days, 0) <= 0 THEN '0' WHEN age_days = 1 THEN '1' WHEN age_days <= 4 THEN '2-4' ELSE '5+' END AS bucket,
       count(*)::INTEGER AS n FROM breaks ${c.sql} GROUP BY 1`,
    c.params,
  );
  const out = { '0': 0, '1': 0, '2-4': 0, '5+': 0 };
  for (const r of rows) out[r.bucket as keyof typeof out] = Number(r.n);
  return out;
}
