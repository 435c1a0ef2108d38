// What app/ (pages and route handlers) calls for trade breaks: the break browser page, the
// ClOrdID drill-down and the analyst's actions, on the process's database. app/ never imports
// db/ itself (DESIGN.md, "Layout"). Every action is audited in the transaction that makes it.
import Decimal from 'decimal.js';
import { readSourceSlice } from '../source-bytes';
import { getDb, type Db } from '../../../db/open';
import {
  breakHistory,
  chainBreakCount,
  chainBreaks,
  chainFillAmounts,
  chainFills,
  chainMessageKeys,
  chainMessages,
  chainsOf,
  chainSummary,
  decodeCursor,
  getBreak,
  listBreaks,
  type BreakFilters,
  type BreakPage,
  type ChainFillAmount,
  type ChainMessageKey,
} from '../../../db/breaks/break-queries';
import { applyBreakAction, type BreakActionInput, type BreakActionResult } from '../../../db/breaks/break-workflow';
import { enumMeaning, msgTypeName, parseFixMessage, tagName } from '../../fix';
import { appendAudit } from '../audit/append-audit';
import { ApiError } from '../http/api-error';
import { timePart } from '../http/server-timing';
import { FIRST_PAGES, pageStart, type DrillDownPages, type ListPage } from './drill-down-pages';

export { BREAK_ACTIONS } from '../../../db/breaks/break-workflow';
export { MAX_BREAKS_PAGE } from '../../../db/breaks/break-queries';
export type { BreakFilters, BreakActionInput };
export { parseDrillDownPages, FIRST_PAGES, type DrillDownPages } from './drill-down-pages';

export async function breaksPage(q: { filters: BreakFilters; cursor?: string | null; limit: number }, db?: Db): Promise<BreakPage> {
  const cursor = q.cursor ? decodeCursor(q.cursor) : null;
  if (q.cursor && !cursor) throw new ApiError('breaks.bad_cursor', 400, 'The cursor is not one this server issued.');
  return listBreaks(db ?? (await getDb()), { filters: q.filters, cursor, limit: q.limit });
}

export async function breakDetail(breakId: string, db?: Db) {
  const d = db ?? (await getDb());
  const b = await getBreak(d, breakId);
  if (!b) return null;
  return { ...b, ...(await breakHistory(d, breakId)) };
}

/** Applies one action and its audit entry in one transaction; a refused transition is an ApiError. */
export async function actOnBreak(breakId: string, input: BreakActionInput, actor: string, db?: Db): Promise<BreakActionResult & { ok: true }> {
  const d = db ?? (await getDb());
  const result = await d.transaction(async (tx) => {
    const r = await applyBreakAction(tx, breakId, input, actor);
    if (r.ok) {
      await appendAudit(tx, { actor, action: `break.${input.action}`, subject: `break:${breakId}`, details: { ...input, from_status: r.from_status, to_status: r.to_status } });
    }
    return r;
  });
  if (!result.ok) throw new ApiError(result.code, result.code === 'break.not_found' ? 404 : 409, result.message);
  return result;
}

/** A message of the drill-down timeline: its columns and lineage, names, computed state, raw bytes. */
export type TimelineEntry = Record<string, unknown> & {
  msg_type_name: string | null;
  exec_type_name: string | null;
  ord_status_name: string | null;
  computed_cum_qty: string;
  computed_leaves_qty: string | null;
  computed_avg_px: string | null;
  raw: { text: string; fields: RawField[] } | null;
};

/** One field of a raw message, named from the FIX dictionary. */
export interface RawField {
  tag: number;
  name: string | null;
  value: string;
  meaning: string | null;
}

/**
 * The drill-down of a ClOrdID: per chain it belongs to (one per session), the summary, and a page
 * of each of its lists (`pages`, drill-down-pages.ts; `<list>_total` counts them all and
 * `<list>_from` says where the shown ones start, the last page when asked past the end): its
 * messages in order with reported vs computed CumQty after each, their raw bytes read from the
 * uploaded file by offset and length and shown field by field, and their lineage; its fills with
 * the confirmations they matched; its breaks.
 */
export async function orderDrillDown(clOrdId: string, db?: Db, pages: DrillDownPages = FIRST_PAGES) {
  const d = db ?? (await getDb());
  // Server-Timing parts (server-timing.ts): db = the queries, raw = reading the uploaded bytes.
  const chains = await timePart('db', () => chainsOf(d, clOrdId));
  const out = [];
  for (const c of chains) {
    // One round of queries for a chain that fits its first pages (nearly all of them: the
    // drill-down's latency is measured on those); a longer one, or a page further on, adds the
    // narrow rows of every message (the computed-state walk) and the count of its breaks.
    const messagesPage = pages.messages;
    const [summary, firstShown, firstFills, firstBreaks] = await timePart('db', () => Promise.all([
      chainSummary(d, c.session, c.chain_root, c.chain_key),
      chainMessages(d, c.session, c.chain_root, c.chain_key, messagesPage),
      chainFills(d, c.session, c.chain_root, c.chain_key, pages.fills),
      chainBreaks(d, c.session, c.chain_root, pages.breaks),
    ]));
    // The fills: the first page holds them all, or the walk reads every fill's amounts (narrow)
    // and the shown page is read on its own.
    let amounts: readonly ChainFillAmount[] = firstFills as unknown as ChainFillAmount[];
    const fillsShown = await settlePage(firstFills, pages.fills, async () => {
      amounts = await chainFillAmounts(d, c.session, c.chain_root, c.chain_key);
      return amounts.length;
    }, (p) => chainFills(d, c.session, c.chain_root, c.chain_key, p));
    let shown = firstShown;
    let from = messagesPage.from;
    let messageCount: number;
    let walk: readonly ChainMessageKey[];
    if (from === 0 && shown.length > 0 && shown.length < messagesPage.limit) {
      messageCount = shown.length;
      walk = shown as unknown as ChainMessageKey[];
    } else {
      const keys = await timePart('db', () => chainMessageKeys(d, c.session, c.chain_root, c.chain_key));
      if (keys.length > 0) {
        messageCount = keys.length;
        walk = keys;
        const start = pageStart(from, messagesPage.limit, messageCount);
        if (start !== from) {
          from = start;
          shown = await timePart('db', () => chainMessages(d, c.session, c.chain_root, c.chain_key, { from: start, limit: messagesPage.limit }));
        }
      } else {
        // No stored copy of the chain's messages (a database from before it): searched whole, sliced.
        const all = await timePart('db', () => chainMessages(d, c.session, c.chain_root, c.chain_key));
        messageCount = all.length;
        from = pageStart(from, messagesPage.limit, messageCount);
        shown = all.slice(from, from + messagesPage.limit);
        walk = all as unknown as ChainMessageKey[];
      }
    }
    const breaksShown = await settlePage(firstBreaks, pages.breaks, () => chainBreakCount(d, c.session, c.chain_root), (p) =>
      chainBreaks(d, c.session, c.chain_root, p),
    );
    const paths = await timePart('db', () => sourcePaths(d, [...new Set(shown.map((m) => String(m.job_id)))]));
    // The shown messages' raw bytes, read concurrently (one small read per message).
    const raws = await timePart('raw', () => Promise.all(shown.map((m) => readRaw(paths.get(String(m.job_id)) ?? null, m.source_offset, m.source_length))));
    // Computed state after each message, from the surviving fills (busts and corrections already
    // applied), next to what the message reported: walked from the chain's first message, since
    // a page's first row carries every fill before it.
    const surviving = new Map(amounts.map((f) => [`${f.source_hash}#${f.message_index}`, f]));
    let computed = new Decimal(0);
    let notional = new Decimal(0);
    let orderQty: Decimal | null = null;
    const timeline: TimelineEntry[] = [];
    for (let i = 0; i < from + shown.length; i++) {
      const m = walk[i];
      const fill = surviving.get(`${m.source_hash}#${m.message_index}`);
      if (fill) {
        computed = computed.plus(String(fill.last_qty));
        notional = notional.plus(new Decimal(String(fill.last_qty)).times(String(fill.last_px ?? '0')));
      }
      if (m.order_qty !== null && m.order_qty !== undefined && (m.msg_type === '8' || m.msg_type === 'D' || orderQty === null)) {
        orderQty = new Decimal(String(m.order_qty));
      }
      if (i < from) continue;
      const row = shown[i - from];
      timeline.push({
        computed_leaves_qty: orderQty ? Decimal.max(orderQty.minus(computed), 0).toFixed() : null,
        computed_avg_px: computed.isZero() ? null : Decimal.clone({ precision: 40 }).div(notional, computed).toDecimalPlaces(10).toFixed(),
        ...row,
        msg_type_name: msgTypeName(String(row.msg_type)),
        exec_type_name: row.exec_type ? enumMeaning(150, String(row.exec_type)) : null,
        ord_status_name: row.ord_status ? enumMeaning(39, String(row.ord_status)) : null,
        computed_cum_qty: computed.toFixed(),
        raw: raws[i - from],
      });
    }
    out.push({
      session: c.session,
      chain_root: c.chain_root,
      summary,
      messages: timeline,
      messages_total: messageCount,
      messages_from: from,
      fills: fillsShown.rows,
      fills_total: fillsShown.total,
      fills_from: fillsShown.from,
      breaks: breaksShown.rows,
      breaks_total: breaksShown.total,
      breaks_from: breaksShown.from,
    });
  }
  return { cl_ord_id: clOrdId, chains: out };
}

/**
 * A list's shown page, from the page read in the drill-down's first round (`first`, at the asked
 * position): when it starts the list and holds less than a page, it is the whole list; otherwise
 * the list is counted, and a position past the end is read again as the last page.
 */
async function settlePage<R>(
  first: R[],
  page: ListPage,
  count: () => Promise<number>,
  read: (page: ListPage) => Promise<R[]>,
): Promise<{ rows: R[]; from: number; total: number }> {
  if (page.from === 0 && first.length < page.limit) return { rows: first, from: 0, total: first.length };
  const total = await timePart('db', count);
  const from = pageStart(page.from, page.limit, total);
  return { rows: from === page.from ? first : await timePart('db', () => read({ from, limit: page.limit })), from, total };
}

/** Databases known to have a jobs table (it is never dropped): one catalog query per database, not per drill-down. */
const HAS_JOBS = new WeakSet<Db>();

async function sourcePaths(db: Db, jobIds: string[]): Promise<Map<string, string>> {
  if (jobIds.length === 0) return new Map();
  if (!HAS_JOBS.has(db)) {
    const exists = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM information_schema.tables WHERE table_name = 'jobs'`);
    if (Number(exists[0].n) === 0) return new Map();
    HAS_JOBS.add(db);
  }
  const rows = await db.all<{ id: string; source_path: string }>(
    `SELECT id, source_path FROM jobs WHERE id IN (${jobIds.map(() => '?').join(', ')})`,
    jobIds,
  );
  return new Map(rows.map((r) => [r.id, r.source_path]));
}

async function readRaw(file: string | null, offset: unknown, length: unknown): Promise<{ text: string; fields: RawField[] } | null> {
  const bytes = await readSourceSlice(file, offset, length);
  if (!bytes) return null; // the upload is gone: the rows and their lineage still say where it was
  const parsed = parseFixMessage(bytes);
  const fields: RawField[] =
    parsed && parsed.kind === 'message'
      ? parsed.fields.map(([tag, value]) => ({ tag, name: tagName(tag), value, meaning: enumMeaning(tag, value) }))
      : [];
  return { text: bytes.toString('latin1').replace(/\x01/g, '|'), fields };
}
