import type { Db } from '../open';
import { tableExists } from './breaks-db';
import { CHAIN_MESSAGE_CELLS, decodeChainMessageCells, type ChainMessageCell } from './chain-message-cells';
import { chainKeySql } from './sql-fragments';

// Reads of the break browser and the ClOrdID drill-down. Keyset pagination (an opaque cursor of
// the last row's sort key), never offsets; every value bound as a parameter.

export interface BreakFilters {
  classes?: string[];
  statuses?: string[];
  /** Exact ClOrdID (any ClOrdID of the chain), or a prefix when it ends with '*'. */
  clOrdId?: string;
  symbol?: string;
  account?: string;
  assignee?: string;
  tradeDateFrom?: string;
  tradeDateTo?: string;
  /** Business-day age buckets. */
  ageBucket?: '0' | '1' | '2-4' | '5+';
}

export interface BreakListItem {
  break_id: string;
  class: string;
  cl_ord_id: string | null;
  chain_root: string | null;
  session: string | null;
  symbol: string | null;
  account: string | null;
  status: string;
  assignee: string | null;
  severity: string;
  trade_date: string | null;
  age_days: number | null;
  notional: string | null;
  details: unknown;
  first_seen: string;
}

export interface BreakPage {
  items: BreakListItem[];
  next_cursor: string | null;
  /** Per class, over the filtered set without the class filter. */
  counts: Record<string, number>;
}

export const MAX_BREAKS_PAGE = 500;

const AGE_SQL: Record<NonNullable<BreakFilters['ageBucket']>, string> = {
  '0': 'coalesce(age_days, 0) = 0',
  '1': 'age_days = 1',
  '2-4': 'age_days BETWEEN 2 AND 4',
  '5+': 'age_days >= 5',
};

/**
 * The members of one ClOrdID (two parameters: the ClOrdID twice). order_chain_members is stored
 * sorted by member_key = hash(cl_ord_id) (migration 009): the key, folded to a constant, lets
 * the zone maps skip every other row group.
 */
export const MEMBER_LOOKUP_SQL = `member_key = hash(?::VARCHAR) AND cl_ord_id = ?`;

export function whereOf(f: BreakFilters, withClass: boolean): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const inList = (col: string, values: string[] | undefined) => {
    if (!values || values.length === 0) return;
    parts.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (withClass) inList('class', f.classes);
  inList('status', f.statuses);
  if (f.clOrdId) {
    if (f.clOrdId.endsWith('*')) {
      parts.push(`(starts_with(cl_ord_id, ?) OR starts_with(chain_root, ?))`);
      const p = f.clOrdId.slice(0, -1);
      params.push(p, p);
    } else {
      parts.push(`(cl_ord_id = ? OR chain_root = ? OR (session, chain_root) IN (SELECT session, chain_root FROM order_chain_members WHERE ${MEMBER_LOOKUP_SQL}))`);
      params.push(f.clOrdId, f.clOrdId, f.clOrdId, f.clOrdId);
    }
  }
  for (const [col, v] of [['symbol', f.symbol], ['account', f.account], ['assignee', f.assignee]] as const) {
    if (v) {
      parts.push(`${col} = ?`);
      params.push(v);
    }
  }
  if (f.tradeDateFrom) {
    parts.push('trade_date >= ?::DATE');
    params.push(f.tradeDateFrom);
  }
  if (f.tradeDateTo) {
    parts.push('trade_date <= ?::DATE');
    params.push(f.tradeDateTo);
  }
  if (f.ageBucket) parts.push(AGE_SQL[f.ageBucket]);
  return { sql: parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '', params };
}

interface CursorKey {
  first_seen: string;
  break_id: string;
}

export function encodeCursor(k: CursorKey): string {
  return Buffer.from(JSON.stringify([k.first_seen, k.break_id]), 'utf8').toString('base64url');
}

/** null for a cursor that is not one of ours (the caller answers a 400). */
export function decodeCursor(cursor: string): CursorKey | null {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { first_seen: v[0], break_id: v[1] };
  } catch {
    // fall through
  }
  return null;
}

/** Newest first (first_seen DESC, break_id ASC). */
export async function listBreaks(db: Db, q: { filters: BreakFilters; cursor?: CursorKey | null; limit: number }): Promise<BreakPage> {
  const limit = Math.max(1, Math.min(q.limit, MAX_BREAKS_PAGE));
  const w = whereOf(q.filters, true);
  const keyset = q.cursor ? `(first_seen < ?::TIMESTAMPTZ OR (first_seen = ?::TIMESTAMPTZ AND break_id > ?))` : '';
  const conds = [w.sql.replace(/^WHERE /, ''), keyset].filter(Boolean);
  const where = conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
  const params = [...w.params, ...(q.cursor ? [q.cursor.first_seen, q.cursor.first_seen, q.cursor.break_id] : []), limit + 1];
  const rows = await pageRows(
    db,
    `break_id, class, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity, trade_date::VARCHAR AS trade_date,
       age_days, notional::VARCHAR AS notional, details, first_seen`,
    `FROM breaks ${where}`,
    'first_seen DESC, break_id ASC',
    params,
  );
  const page = rows.slice(0, limit).map(toItem);
  const last = page[page.length - 1];
  const c = whereOf(q.filters, false);
  const counts = await db.all<{ class: string; n: number }>(`SELECT class, count(*)::INTEGER AS n FROM breaks ${c.sql} GROUP BY 1 ORDER BY 1`, c.params);
  return {
    items: page,
    next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
    counts: Object.fromEntries(counts.map((r) => [r.class, Number(r.n)])),
  };
}

/**
 * A page in two reads: the ids of the page (sorting the narrow key columns only), then the rows
 * of those ids. One read would carry every row's details JSON through the sort. `params` ends
 * with the LIMIT; `order` is total (ends with break_id), so both reads agree on the order.
 */
export async function pageRows(db: Db, columns: string, from: string, order: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const ids = (await db.all<{ break_id: string }>(`SELECT break_id ${from} ORDER BY ${order} LIMIT ?`, params)).map((r) => r.break_id);
  if (ids.length === 0) return [];
  return db.all<Record<string, unknown>>(
    `SELECT ${columns} FROM breaks WHERE break_id IN (${ids.map(() => '?').join(', ')}) ORDER BY ${order}`,
    ids,
  );
}

function toItem(r: Record<string, unknown>): BreakListItem {
  return {
    ...(r as unknown as BreakListItem),
    age_days: r.age_days === null || r.age_days === undefined ? null : Number(r.age_days),
    details: JSON.parse(String(r.details)),
  };
}

export async function getBreak(db: Db, breakId: string): Promise<(BreakListItem & { evidence: unknown; closed_reason: string | null }) | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT break_id, class, cl_ord_id, chain_root, session, symbol, account, status, assignee, severity, trade_date::VARCHAR AS trade_date,
       age_days, notional::VARCHAR AS notional, details, first_seen, evidence, closed_reason
     FROM breaks WHERE break_id = ?`,
    [breakId],
  );
  if (rows.length === 0) return null;
  return { ...toItem(rows[0]), evidence: JSON.parse(String(rows[0].evidence)), closed_reason: (rows[0].closed_reason as string | null) ?? null };
}

/** A chain of the drill-down, with the chain_key its rows are stored under (see chainKey). */
export interface ChainRef {
  session: string;
  chain_root: string;
  chain_key: string;
}

/** The chains (one per session) a ClOrdID belongs to. */
export async function chainsOf(db: Db, clOrdId: string): Promise<ChainRef[]> {
  return db.all(
    `SELECT DISTINCT session, chain_root, ${chainKeySql('session', 'chain_root')}::VARCHAR AS chain_key
     FROM order_chain_members WHERE ${MEMBER_LOOKUP_SQL} ORDER BY session`,
    [clOrdId, clOrdId],
  );
}

export async function chainSummary(db: Db, session: string, chainRoot: string, key?: string): Promise<Record<string, unknown> | null> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT * EXCLUDE (chain_key) FROM order_chains WHERE chain_key = $1::UBIGINT AND session = $2 AND chain_root = $3`,
    [key ?? (await chainKey(db, session, chainRoot)), session, chainRoot],
  );
  return rows[0] ?? null;
}

/**
 * Every order message of a chain in order, with its lineage (file, job, parser version, contract
 * hash, line, byte span): the drill-down's timeline and the key to the raw bytes.
 */
export async function chainMessages(db: Db, session: string, chainRoot: string, key?: string, page?: { from: number; limit: number }): Promise<Record<string, unknown>[]> {
  // Detection keeps every chain's messages in order_chain_messages, sorted by chain_key: the
  // key is computed first and bound as a value, so the scan filter is a constant and the zone
  // maps skip every other row group. A database whose chains predate that table (no rows yet for
  // a chain that has messages) falls back to searching fix_order_events (whole: `page` applies
  // to the stored copy only).
  const k = key ?? (await chainKey(db, session, chainRoot));
  const rows = await db.all<Record<string, unknown> & { cells: string }>(
    `SELECT message_index, line_number, source_hash, job_id, parser_version, contract_hash, source_offset, source_length,
       sending_time, cells
     FROM order_chain_messages WHERE chain_key = $1::UBIGINT AND session = $2 AND chain_root = $3
     ORDER BY ${CHAIN_MESSAGE_ORDER}${page ? ' LIMIT $4 OFFSET $5' : ''}`,
    page ? [k, session, chainRoot, page.limit, page.from] : [k, session, chainRoot],
  );
  if (rows.length > 0 || page) return rows.map(({ cells, ...lineage }) => ({ ...lineage, ...decodeChainMessageCells(cells) }));
  return searchChainMessages(db, session, chainRoot);
}

/** The order of a chain's messages: total, since (source_hash, message_index) is one message. */
const CHAIN_MESSAGE_ORDER = 'sending_time, source_hash, message_index';

/** What the drill-down's computed CumQty / LeavesQty / AvgPx walk reads of each message. */
export interface ChainMessageKey {
  source_hash: string;
  message_index: string;
  msg_type: string | null;
  order_qty: string | null;
}

/**
 * Every stored message of a chain, in chainMessages' order, narrowed to what the computed-state
 * walk reads: a page of a 10,000-message chain then decodes its own rows only (decoding every
 * row's cells took 0.4 s of the 0.46 s its queries took). Empty for a chain with no stored copy.
 */
export async function chainMessageKeys(db: Db, session: string, chainRoot: string, key?: string): Promise<ChainMessageKey[]> {
  const cell = (name: ChainMessageCell) => `cells->>'$[${CHAIN_MESSAGE_CELLS.indexOf(name)}]'`;
  return db.all<ChainMessageKey>(
    `SELECT source_hash, message_index, ${cell('msg_type')} AS msg_type, ${cell('order_qty')} AS order_qty
     FROM order_chain_messages WHERE chain_key = $1::UBIGINT AND session = $2 AND chain_root = $3
     ORDER BY ${CHAIN_MESSAGE_ORDER}`,
    [key ?? (await chainKey(db, session, chainRoot)), session, chainRoot],
  );
}

/** The drill-down's messages found in fix_order_events itself (a scan: the fallback). */
async function searchChainMessages(db: Db, session: string, chainRoot: string): Promise<Record<string, unknown>[]> {
  if (!(await tableExists(db, 'fix_order_events'))) return [];
  // Three selective lookups (by ClOrdID, by OrigClOrdID, by OrderID for messages without a
  // ClOrdID), united: each is a plain semi-join on one column, which DuckDB narrows with the
  // join's min/max filter on the scan (row groups skipped), where the OR of three IN lists forced
  // a full scan of the table on every drill-down. UNION removes a row two lookups both found.
  const cols = `e.message_index, e.line_number, e._cf_source_hash AS source_hash, e._cf_job_id AS job_id, e._cf_parser_version AS parser_version,
       e._cf_contract_hash AS contract_hash, e._cf_source_offset AS source_offset, e._cf_source_length AS source_length,
       e.sending_time, e.transact_time, e.sender_comp_id, e.target_comp_id, e.msg_type, e.msg_seq_num, e.poss_dup_flag,
       e.cl_ord_id, e.orig_cl_ord_id, e.order_id, e.exec_id, e.exec_ref_id, e.exec_trans_type, e.exec_type, e.ord_status,
       e.side, e.symbol, e.order_qty::VARCHAR AS order_qty, e.price::VARCHAR AS price, e.last_qty::VARCHAR AS last_qty,
       e.last_px::VARCHAR AS last_px, e.cum_qty::VARCHAR AS cum_qty, e.leaves_qty::VARCHAR AS leaves_qty, e.avg_px::VARCHAR AS avg_px, e.text`;
  const inSession = `(CASE WHEN e.sender_comp_id <= e.target_comp_id THEN e.sender_comp_id || '|' || e.target_comp_id
                 ELSE e.target_comp_id || '|' || e.sender_comp_id END) = $3`;
  return db.all(
    `WITH members AS (SELECT DISTINCT cl_ord_id FROM order_chain_members WHERE session = $1 AND chain_root = $2),
     oids AS (SELECT DISTINCT unnest(order_ids) AS order_id FROM order_chains WHERE session = $1 AND chain_root = $2),
     hits AS (
       SELECT ${cols} FROM fix_order_events e SEMI JOIN members m ON e.cl_ord_id = m.cl_ord_id WHERE ${inSession}
       UNION
       SELECT ${cols} FROM fix_order_events e SEMI JOIN members m ON e.orig_cl_ord_id = m.cl_ord_id WHERE ${inSession}
       UNION
       SELECT ${cols} FROM fix_order_events e SEMI JOIN oids o ON e.order_id = o.order_id
       WHERE nullif(trim(e.cl_ord_id), '') IS NULL AND ${inSession}
     )
     SELECT * FROM hits
     QUALIFY row_number() OVER (PARTITION BY source_hash, message_index ORDER BY job_id DESC) = 1
     ORDER BY sending_time, source_hash, message_index`,
    [session, chainRoot, session],
  );
}

/**
 * Surviving fills of a chain with the confirmation each was matched to (if any), in order;
 * `page` picks `limit` of them from position `from`.
 */
export async function chainFills(db: Db, session: string, chainRoot: string, key?: string, page?: { from: number; limit: number }): Promise<Record<string, unknown>[]> {
  // Both tables are sorted by chain_key (see chainMessages): each side reads one row group.
  const k = key ?? (await chainKey(db, session, chainRoot));
  return db.all(
    `SELECT f.fill_id, f.exec_id, f.current_exec_id, f.cl_ord_id, f.order_id, f.last_qty::VARCHAR AS last_qty, f.last_px::VARCHAR AS last_px,
       f.trade_date::VARCHAR AS trade_date, f.source_hash, f.message_index, m.confirmation_id, m.method AS match_method, m.needs_review
     FROM order_fills f
     LEFT JOIN (SELECT * FROM counterparty_matches WHERE chain_key = $1::UBIGINT) m USING (fill_id)
     WHERE f.chain_key = $1::UBIGINT AND f.session = $2 AND f.chain_root = $3 ORDER BY f.chain_fill_ordinal${page ? ' LIMIT $4 OFFSET $5' : ''}`,
    page ? [k, session, chainRoot, page.limit, page.from] : [k, session, chainRoot],
  );
}

/** What the drill-down's computed-state walk reads of each surviving fill: which message, how much, at what price. */
export interface ChainFillAmount {
  source_hash: string;
  message_index: string;
  last_qty: string;
  last_px: string | null;
}

/** Every surviving fill of a chain, narrowed to its amounts (a long chain's walk; chainFills pages the display). */
export async function chainFillAmounts(db: Db, session: string, chainRoot: string, key?: string): Promise<ChainFillAmount[]> {
  return db.all<ChainFillAmount>(
    `SELECT source_hash, message_index, last_qty::VARCHAR AS last_qty, last_px::VARCHAR AS last_px
     FROM order_fills WHERE chain_key = $1::UBIGINT AND session = $2 AND chain_root = $3`,
    [key ?? (await chainKey(db, session, chainRoot)), session, chainRoot],
  );
}

/** The chain_key detection stores with a chain's rows (DuckDB's hash of 'session|chain_root'), as text. */
async function chainKey(db: Db, session: string, chainRoot: string): Promise<string> {
  const [{ k }] = await db.all<{ k: string }>(`SELECT ${chainKeySql('$1::VARCHAR', '$2::VARCHAR')}::VARCHAR AS k`, [session, chainRoot]);
  return k;
}

/** A chain's breaks in order (class, break_id); `page` picks `limit` of them from position `from`. */
export async function chainBreaks(db: Db, session: string, chainRoot: string, page?: { from: number; limit: number }): Promise<Record<string, unknown>[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT break_id, class, status, severity, assignee, age_days, details, evidence, closed_reason
     FROM breaks WHERE session = ? AND chain_root = ? ORDER BY class, break_id${page ? ' LIMIT ? OFFSET ?' : ''}`,
    page ? [session, chainRoot, page.limit, page.from] : [session, chainRoot],
  );
  return rows.map((r) => ({ ...r, age_days: r.age_days === null ? null : Number(r.age_days), details: JSON.parse(String(r.details)), evidence: JSON.parse(String(r.evidence)) }));
}

export async function chainBreakCount(db: Db, session: string, chainRoot: string): Promise<number> {
  const [{ n }] = await db.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM breaks WHERE session = ? AND chain_root = ?`, [session, chainRoot]);
  return Number(n);
}

/** The history of each of some breaks (breakHistory's), in two queries instead of two per break. */
export async function breakHistories(db: Db, breakIds: string[]): Promise<Map<string, { events: Record<string, unknown>[]; comments: Record<string, unknown>[] }>> {
  const out = new Map(breakIds.map((id) => [id, { events: [] as Record<string, unknown>[], comments: [] as Record<string, unknown>[] }]));
  if (breakIds.length === 0) return out;
  const ids = `(${breakIds.map(() => '?').join(', ')})`;
  const [events, comments] = await Promise.all([
    db.all<Record<string, unknown>>(
      `SELECT break_id, occurred_at, actor, action, from_status, to_status, details FROM break_events WHERE break_id IN ${ids} ORDER BY occurred_at, event_id`,
      breakIds,
    ),
    db.all<Record<string, unknown>>(
      `SELECT break_id, comment_id, author, body, created_at FROM break_comments WHERE break_id IN ${ids} ORDER BY created_at, comment_id`,
      breakIds,
    ),
  ]);
  for (const { break_id, ...e } of events) out.get(String(break_id))?.events.push(e);
  for (const { break_id, ...c } of comments) out.get(String(break_id))?.comments.push(c);
  return out;
}

export async function breakHistory(db: Db, breakId: string): Promise<{ events: Record<string, unknown>[]; comments: Record<string, unknown>[] }> {
  return (await breakHistories(db, [breakId])).get(breakId)!;
}
