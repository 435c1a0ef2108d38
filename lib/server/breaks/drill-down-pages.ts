// Which part of each of a chain's lists a drill-down shows (the timeline's messages, the fills,
// the breaks): `limit` items from position `from` (0-based, in the list's order). A parent order
// worked all day is filled thousands of times, and without its counterparty's file each fill is
// a break: at 10,000 fills the whole drill-down was a 49 MB answer in 1.8 s and a 206 MB page
// that took over a minute to render (20,000 history queries among it). So every list comes a page
// at a time, and the page says how many there are in all.
import { z } from 'zod';
import { ApiError } from '../http/api-error';

export interface ListPage {
  from: number;
  limit: number;
}

export const DRILL_DOWN_LISTS = ['messages', 'fills', 'breaks'] as const;
export type DrillDownList = (typeof DRILL_DOWN_LISTS)[number];
export type DrillDownPages = Record<DrillDownList, ListPage>;

/** Items per page by default, and at most. */
export const PAGE_LIMITS: Record<DrillDownList, { default: number; max: number }> = {
  messages: { default: 200, max: 1000 },
  fills: { default: 200, max: 1000 },
  breaks: { default: 50, max: 500 },
};

export const FIRST_PAGES: DrillDownPages = {
  messages: { from: 0, limit: PAGE_LIMITS.messages.default },
  fills: { from: 0, limit: PAGE_LIMITS.fills.default },
  breaks: { from: 0, limit: PAGE_LIMITS.breaks.default },
};

const whole = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

type Query = URLSearchParams | Record<string, string | string[] | undefined>;

function param(q: Query, name: string): string | undefined {
  const v = q instanceof URLSearchParams ? q.get(name) : q[name];
  const one = Array.isArray(v) ? v[0] : v;
  return one === null || one === undefined || one === '' ? undefined : one;
}

/**
 * The pages a request asks for: `<list>_from` and `<list>_limit` for messages, fills and breaks
 * (absent: the first page of the default size). Anything else is a 400 order.bad_page.
 */
export function parseDrillDownPages(q: Query): DrillDownPages {
  const out = { ...FIRST_PAGES };
  for (const list of DRILL_DOWN_LISTS) {
    const from = whole(0, Number.MAX_SAFE_INTEGER).safeParse(param(q, `${list}_from`) ?? 0);
    const limit = whole(1, PAGE_LIMITS[list].max).safeParse(param(q, `${list}_limit`) ?? PAGE_LIMITS[list].default);
    if (!from.success || !limit.success) {
      throw new ApiError('order.bad_page', 400, `${list}_from must be a whole number ≥ 0 and ${list}_limit one from 1 to ${PAGE_LIMITS[list].max}.`);
    }
    out[list] = { from: from.data, limit: limit.data };
  }
  return out;
}

/** Where a page shown from `from` starts: `from` itself, or the last page's start when `from` is past the end. */
export function pageStart(from: number, limit: number, total: number): number {
  if (from < total) return from;
  return Math.max(0, Math.floor((total - 1) / limit) * limit);
}

/** The query string of a set of pages (only what differs from the first pages). */
export function drillDownQuery(pages: DrillDownPages): string {
  const q = new URLSearchParams();
  for (const list of DRILL_DOWN_LISTS) {
    if (pages[list].from !== 0) q.set(`${list}_from`, String(pages[list].from));
    if (pages[list].limit !== PAGE_LIMITS[list].default) q.set(`${list}_limit`, String(pages[list].limit));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}
