import type { Db } from '../open';
import { chainMessageCellsSql } from './chain-message-cells';
import type { OrderStateSources } from './counterparty-candidates';
import { chainKeySql, filePositionSql, id, JOB_IDS_SQL, orderIdSql, SESSION_SQL, SIDE_WORD_SQL, TERMINAL_STATUSES_SQL, textOfSql } from './sql-fragments';

// Builds, in temp tables (committed one by one: DuckDB scans those in parallel), the business
// state of every order chain of the sessions in scope:
//   _bk_scope(session)            sessions to recompute
//   _bk_ev                        order events of those sessions, one row per message, ordered (seq);
//                                 narrow (ids, seq, sequence fields, origin); read by the sequence
//                                 step and by linking, then dropped
//   _bk_origin                    where messages came from (file, job, parser version, contract),
//                                 numbered: _bk_m carries the number (origin), not the four strings
//   _bk_m                         the chained messages, whole (business columns, drill-down cells) +
//                                 chain_root, chain_key, counted (not a resend) and kind; stored
//                                 sorted by (chain_key, seq), so that a range of chain keys is a
//                                 run of row groups (the summary reads it range by range)
//   _bk_fill                      surviving fills (busts / corrections applied)
//   _bk_chain                     order summary per chain, reported vs computed
//   _bk_ofn, _bk_mem              the rows order_fills and order_chain_members get (stageOrderState)
//
// Order of messages: within a file, file order (message_index); files by their first
// SendingTime. A file promoted twice (same _cf_source_hash) counts once.

const MAX_LINK_ROUNDS = 64;
/** A message's chain label, given `e` (_bk_ev) LEFT JOIN `n` (_bk_node, the linked ids) on its id: NULL only without an id. */
const NODE_LABEL = 'coalesce(n.label, e.cl_ord_id, e.orig_cl_ord_id)';

export interface ScopeInput {
  /** null = every session. */
  jobIds: string[] | null;
  hasSessionEvents: boolean;
}

/** Sessions the jobs touched (or all), in _bk_scope. Returns their count. */
export async function buildScope(tx: Db, input: ScopeInput): Promise<number> {
  const where = input.jobIds ? `WHERE _cf_job_id IN ${JOB_IDS_SQL}` : '';
  const params = input.jobIds ? [JSON.stringify(input.jobIds)] : [];
  const sessionPart = input.hasSessionEvents ? `UNION SELECT DISTINCT ${SESSION_SQL} AS session FROM _bk_src_sessions ${where}` : '';
  await tx.run(
    `CREATE OR REPLACE TEMP TABLE _bk_scope AS
     SELECT DISTINCT ${SESSION_SQL} AS session FROM _bk_src_orders ${where} ${sessionPart}`,
    input.hasSessionEvents ? [...params, ...params] : params,
  );
  return countOf(tx, '_bk_scope');
}

// The deduplicated source rows of the scope sessions (buildEvents' temp tables) and their seq.
const EVENTS_FROM = `_bk_src_orders b JOIN _bk_filerank f USING (_cf_source_hash)
  LEFT JOIN _bk_latest l ON f.multi AND l._cf_source_hash = b._cf_source_hash AND l.message_index = b.message_index`;
const EVENTS_WHERE = `${SESSION_SQL} IN (SELECT session FROM _bk_scope) AND (NOT f.multi OR b._cf_job_id = l.job)`;
const SEQ_SQL = `${filePositionSql('f.file_rank', 'b.message_index')} + 1`;

/**
 * Order events of the scope sessions, deduplicated by file position and ordered.
 *
 * Deduplication works on the narrow key (file, message_index, job) instead of a window over
 * whole rows: only a file promoted by more than one job can hold a position twice, and of such
 * a file each position keeps the row of the greatest job id. seq orders a session's messages by
 * (file start, file, message_index): seq = file rank · 2^40 + message_index + 1, the same order
 * as a row_number over those keys without sorting the rows (message_index < 2^40).
 */
export async function buildEvents(tx: Db): Promise<void> {
  const inScope = `${SESSION_SQL} IN (SELECT session FROM _bk_scope)`;
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_files AS
    SELECT _cf_source_hash, count(DISTINCT _cf_job_id) > 1 AS multi, min(sending_time) AS all_start
    FROM _bk_src_orders WHERE ${inScope} GROUP BY 1`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_latest AS
    SELECT _cf_source_hash, message_index, max(_cf_job_id) AS job, arg_max(sending_time, _cf_job_id) AS sending_time
    FROM _bk_src_orders WHERE ${inScope} AND _cf_source_hash IN (SELECT _cf_source_hash FROM _bk_files WHERE multi)
    GROUP BY 1, 2`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_filerank AS
    SELECT _cf_source_hash, multi, row_number() OVER (ORDER BY file_start NULLS LAST, _cf_source_hash) AS file_rank
    FROM (
      SELECT f._cf_source_hash, f.multi, CASE WHEN f.multi THEN (SELECT min(l.sending_time) FROM _bk_latest l WHERE l._cf_source_hash = f._cf_source_hash)
        ELSE f.all_start END AS file_start
      FROM _bk_files f)`);
  // The origins of the scope's messages, numbered. A row's four lineage strings (two of them
  // 64-character hashes) take one value per job (two where quarantined rows were replayed under
  // an amended contract), so the temp tables carry the number and the strings come from here
  // where a break or a stored row needs them. In _bk_m's sort, at 10M messages, the strings cost
  // 33.6 s and 58 CPU-s against 23.4 s and 42 for the number; _bk_ev held 334 MB at 1M messages
  // with them, 200 MB with the number. Every file of the scope, all its rows: a file's origins are
  // few, and this scan needs no session test.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_origin AS
    SELECT row_number() OVER (ORDER BY _cf_source_hash, _cf_job_id, _cf_parser_version, _cf_contract_hash) AS origin, *
    FROM (SELECT DISTINCT _cf_source_hash, _cf_job_id, _cf_parser_version, _cf_contract_hash
      FROM _bk_src_orders WHERE _cf_source_hash IN (SELECT _cf_source_hash FROM _bk_files))`);
  // Narrow: what linking, the resend test and the sequence rules read. The wide row of a message
  // is read once, from the source, when _bk_m is built (buildChains): one wide copy, not two.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_ev AS
    SELECT ${SESSION_SQL} AS session, ${SEQ_SQL} AS seq, b.msg_type,
      ${id('b.cl_ord_id')} AS cl_ord_id, ${id('b.orig_cl_ord_id')} AS orig_cl_ord_id, ${orderIdSql('b.order_id')} AS order_id,
      ${id('b.exec_id')} AS exec_id, b.sender_comp_id, b.target_comp_id, b.msg_seq_num, b.poss_dup_flag, b.sending_time,
      o.origin, b.message_index
    FROM ${EVENTS_FROM}
      JOIN _bk_origin o ON o._cf_source_hash = b._cf_source_hash AND o._cf_job_id IS NOT DISTINCT FROM b._cf_job_id
        AND o._cf_parser_version IS NOT DISTINCT FROM b._cf_parser_version AND o._cf_contract_hash IS NOT DISTINCT FROM b._cf_contract_hash
    WHERE ${EVENTS_WHERE}`);
}

// What the drill-down shows of a message beyond the business columns of _bk_m: its lineage (the
// strings of its origin come from _bk_origin) and, as received, the cells _bk_m normalises (ids,
// side words). Carried through _bk_m into order_chain_messages (persistOrderState); only these
// few: _bk_m is the one wide temp table.
const DISPLAY_COLUMNS = ['line_number', '_cf_source_offset', '_cf_source_length', 'side'] as const;
// The ids as received, where that differs from the normalised value _bk_m keeps (a space around
// it, an OrderID placeholder): NULL where it does not, which is nearly always. The drill-down
// shows coalesce(d_<id>, <id>), the received text either way; a full copy of every id made
// _bk_m's rows wider for nothing (its sort at 10M messages: 23.4 against 21.8 s without them).
const RECEIVED_IDS: Record<string, (col: string) => string> = {
  cl_ord_id: id, orig_cl_ord_id: id, order_id: orderIdSql, exec_id: id, exec_ref_id: id,
};
const DISPLAY_SQL = [
  ...DISPLAY_COLUMNS.map((c) => `b.${c} AS d_${c}`),
  ...Object.entries(RECEIVED_IDS).map(([c, normalise]) => `CASE WHEN b.${c} IS NOT DISTINCT FROM ${normalise(`b.${c}`)} THEN NULL ELSE b.${c} END AS d_${c}`),
].join(', ');
/** Decimal columns of _bk_m that order_chain_messages keeps as exact text (their type comes from the contract). */
const DECIMAL_TEXT_COLUMNS = ['order_qty', 'price', 'last_qty', 'last_px', 'cum_qty', 'leaves_qty', 'avg_px'] as const;

/** The columns of order_chain_messages after chain_key, session, chain_root, seq, from _bk_m. */
async function chainMessageSql(tx: Db): Promise<string> {
  const types = new Map(
    (await tx.all<{ name: string; type: string }>(
      `SELECT column_name AS name, data_type AS type FROM duckdb_columns() WHERE database_name = 'temp' AND table_name = '_bk_m'`,
    )).map((r) => [r.name, r.type]),
  );
  // The drill-down shows the cells _bk_m normalises (ids, side) as they were received.
  const decimals: ReadonlySet<string> = new Set(DECIMAL_TEXT_COLUMNS);
  const display: ReadonlySet<string> = new Set(DISPLAY_COLUMNS);
  const cells = chainMessageCellsSql((c) =>
    decimals.has(c) ? textOfSql(c, types.get(c) ?? 'VARCHAR') : display.has(c) ? `d_${c}` : c in RECEIVED_IDS ? `coalesce(d_${c}, ${c})` : c);
  return `message_index, d_line_number, o.source_hashes[origin], o.job_ids[origin], o.parser_versions[origin], o.contract_hashes[origin],
  d__cf_source_offset, d__cf_source_length, sending_time, ${cells}`;
}

/**
 * Chains: ClOrdIDs linked through OrigClOrdID(41), transitively, per session (connected
 * components by min-label propagation; rounds = the longest replace chain). A message without
 * ClOrdID joins the chain its OrderID(37) belongs to when that is unambiguous.
 */
export async function buildChains(tx: Db): Promise<void> {
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_edge AS
    SELECT DISTINCT session, a, b FROM (
      SELECT session, cl_ord_id AS a, orig_cl_ord_id AS b FROM _bk_ev WHERE cl_ord_id IS NOT NULL AND orig_cl_ord_id IS NOT NULL
      UNION ALL
      SELECT session, orig_cl_ord_id, cl_ord_id FROM _bk_ev WHERE cl_ord_id IS NOT NULL AND orig_cl_ord_id IS NOT NULL
    ) WHERE a <> b`);
  // Labels are propagated over the linked ids only (those on an edge): an id on no edge is a chain
  // of its own, labelled by itself, and no round can change that. So a message's label is its
  // linked id's label, else its own id, coalesce(ClOrdID, OrigClOrdID) (NODE_LABEL), without a
  // table of every id. At 10M messages (at most 58 % of the ids linked) the table of every id and the two
  // rounds over it took about 4.6 s; the rounds over the linked ids take 1.6 s, and the two joins
  // that read the labels meet a smaller table. Edges are symmetric: their `a` side holds every
  // linked id.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_node AS SELECT DISTINCT session, a AS node, a AS label FROM _bk_edge`);
  for (let round = 0; round < MAX_LINK_ROUNDS; round++) {
    await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_node_next AS
      SELECT n.session, n.node, least(n.label, coalesce(min(m.label), n.label)) AS label
      FROM _bk_node n
      LEFT JOIN _bk_edge e ON e.session = n.session AND e.a = n.node
      LEFT JOIN _bk_node m ON m.session = e.session AND m.node = e.b
      GROUP BY n.session, n.node, n.label`);
    const changed = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM _bk_node_next x
      JOIN _bk_node n ON n.session = x.session AND n.node = x.node WHERE x.label <> n.label`);
    await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_node AS SELECT * FROM _bk_node_next`);
    if (Number(changed[0].n) === 0) break;
  }
  // One label per OrderID: min = max (labels are never NULL here), which is count(DISTINCT) = 1
  // without a DISTINCT aggregate's per-group set. At a 600MB memory_limit that set ran out of
  // memory at 10M messages.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_oid AS
    SELECT e.session, e.order_id, min(${NODE_LABEL}) AS label
    FROM _bk_ev e LEFT JOIN _bk_node n ON n.session = e.session AND n.node = coalesce(e.cl_ord_id, e.orig_cl_ord_id)
    WHERE e.order_id IS NOT NULL AND coalesce(e.cl_ord_id, e.orig_cl_ord_id) IS NOT NULL
    GROUP BY 1, 2 HAVING min(${NODE_LABEL}) = max(${NODE_LABEL})`);
  // Every message of the scope with its chain label (null: in no chain) and the narrow fields the
  // root, the first occurrences and the counted flag read, so that those read one table.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_lab AS
    SELECT e.session, e.seq, e.msg_type, e.cl_ord_id, e.orig_cl_ord_id, e.exec_id, e.origin,
      coalesce(${NODE_LABEL}, o.label, CASE WHEN e.order_id IS NOT NULL THEN '#order:' || e.order_id END) AS label
    FROM _bk_ev e
    LEFT JOIN _bk_node n ON n.session = e.session AND n.node = coalesce(e.cl_ord_id, e.orig_cl_ord_id)
    LEFT JOIN _bk_oid o ON o.session = e.session AND o.order_id = e.order_id`);
  // The chain root: the ClOrdID of the chain's first NewOrderSingle, else the origin-most id first
  // seen. And a number per chain label (cid): what _bk_mk carries instead of the chain's key and
  // root, so that the hash table _bk_m builds on _bk_mk (one row per message) holds integers only;
  // the strings come from this table, one row per chain. At 10M messages (1GB limit) _bk_m then
  // took 32.6 s and 58 CPU-s against 44.8 s and 78 (its join on seq had spilled).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_root AS
    SELECT row_number() OVER () AS cid, session, label, chain_root, ${chainKeySql('session', 'chain_root')} AS chain_key FROM (
      SELECT session, label,
        coalesce(arg_min(cl_ord_id, seq) FILTER (WHERE msg_type = 'D' AND cl_ord_id IS NOT NULL),
                 arg_min(coalesce(orig_cl_ord_id, cl_ord_id), seq) FILTER (WHERE coalesce(orig_cl_ord_id, cl_ord_id) IS NOT NULL),
                 label) AS chain_root
      FROM _bk_lab WHERE label IS NOT NULL GROUP BY 1, 2)`);
  // counted: false for resends (PossDup or not) of an ExecID or of a request already seen: only
  // the first occurrence changes state. The first occurrence (lowest seq among the chained
  // messages) comes from narrow aggregates joined back, instead of window functions sorting
  // every wide row. Only the seq of each first occurrence is kept: seq is unique in the scope,
  // so a message is the first of its (session, ExecID) or (session, MsgType, ClOrdID) group
  // exactly when its seq is one of those minimums (a minimum is a member's seq, and a message
  // is in one group). The two populations are disjoint (MsgType 8 against D, F, G), so one set
  // serves both, and _bk_mk meets it in one integer join instead of two joins on strings
  // (10M messages: 6.4 s for the set and _bk_mk against 8.4–8.9 s, the same rows).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_first AS
    SELECT min(seq) AS seq FROM _bk_lab
    WHERE label IS NOT NULL AND msg_type = '8' AND exec_id IS NOT NULL AND exec_id <> '0' GROUP BY session, exec_id
    UNION ALL
    SELECT min(seq) FROM _bk_lab
    WHERE label IS NOT NULL AND msg_type IN ('D', 'F', 'G') AND cl_ord_id IS NOT NULL GROUP BY session, msg_type, cl_ord_id`);
  // What a chained message gets from its chain, keyed by seq alone (unique in the scope: one file
  // position each), so that the wide rows meet narrow tables in integer joins only (seq, then cid
  // into _bk_root). Joining the wide rows with the label, root and first-occurrence tables in one
  // statement ran out of the 2GB limit at 10M messages when those were committed tables.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_mk AS
    SELECT l.seq, r.cid, l.origin,
      CASE
        WHEN (l.msg_type = '8' AND l.exec_id IS NOT NULL AND l.exec_id <> '0')
          OR (l.msg_type IN ('D', 'F', 'G') AND l.cl_ord_id IS NOT NULL) THEN f.seq IS NOT NULL
        ELSE true END AS counted
    FROM _bk_lab l JOIN _bk_root r ON r.session = l.session AND r.label = l.label
    LEFT JOIN _bk_first f ON f.seq = l.seq
    WHERE l.label IS NOT NULL`);
  // _bk_ev too: linking was its last reader (the sequence step ran before), and the wide _bk_m
  // below reads the source rows, not _bk_ev.
  await dropTempTables(tx, ['_bk_ev', '_bk_edge', '_bk_node_next', '_bk_node', '_bk_oid', '_bk_lab', '_bk_first']);
  // kind: what a message does to business state.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_m AS
    WITH e AS (
      SELECT ${SESSION_SQL} AS session, b.sender_comp_id, b.target_comp_id, b.msg_type, b.msg_seq_num,
        b.poss_dup_flag, b.sending_time,
        ${id('b.cl_ord_id')} AS cl_ord_id, ${id('b.orig_cl_ord_id')} AS orig_cl_ord_id, ${orderIdSql('b.order_id')} AS order_id,
        ${id('b.exec_id')} AS exec_id, ${id('b.exec_ref_id')} AS exec_ref_id, b.exec_trans_type, b.exec_type, b.ord_status,
        ${SIDE_WORD_SQL('b.side')} AS side, b.symbol, b.account, b.currency, b.order_qty, b.price, b.time_in_force,
        b.last_qty, b.last_px, b.cum_qty, b.leaves_qty, b.avg_px, b.last_mkt, b.trade_date, b.settl_date, b.transact_time,
        b.text, b.ord_rej_reason, b.cxl_rej_reason, b.cxl_rej_response_to, ${id('b.trd_match_id')} AS trd_match_id,
        b.message_index, ${SEQ_SQL} AS seq, ${DISPLAY_SQL},
        coalesce(${id('b.exec_id')}, '#msg:' || b.message_index || '@' || left(b._cf_source_hash, 16)) AS eid
      FROM ${EVENTS_FROM}
      WHERE ${EVENTS_WHERE}
    )
    -- origin: from _bk_mk (the message's _bk_ev row), not a join of the four lineage strings here.
    SELECT c.chain_key, e.*, k.origin, c.chain_root,
      e.msg_type = '8' AS is_exec,
      k.counted,
      CASE
        WHEN e.msg_type <> '8' THEN 'other'
        WHEN e.exec_type = 'H' OR e.exec_trans_type = '1' THEN 'bust'
        WHEN e.exec_type = 'G' OR e.exec_trans_type = '2' THEN 'correct'
        WHEN coalesce(e.exec_trans_type, '0') = '0' AND e.exec_type IN ('F', '1', '2') AND e.last_qty > 0 THEN 'fill'
        ELSE 'report' END AS kind
    FROM e JOIN _bk_mk k ON k.seq = e.seq JOIN _bk_root c ON c.cid = k.cid
    ORDER BY chain_key, seq`);
  await dropTempTables(tx, ['_bk_mk', '_bk_root']);
}

/**
 * Surviving fills: a fill survives unless the last bust/correction that refers to it (through
 * ExecRefID(19), following corrections of corrections) is a bust; a correction replaces its
 * LastQty/LastPx. Only counted messages take part.
 */
export async function buildFills(tx: Db): Promise<void> {
  // The counted busts and corrections that refer to an execution, a few: the walk below joins
  // these instead of _bk_m, which each round of the recursion would scan whole (at 10M messages
  // _bk_m is spilled, and the statement took 3.8 s against 0.09 at 1M).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_acts AS
    SELECT session, eid, exec_ref_id, kind FROM _bk_m WHERE counted AND kind IN ('bust', 'correct') AND exec_ref_id IS NOT NULL`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_act AS
    WITH RECURSIVE walk(session, eid, root, depth) AS (
      SELECT session, eid, exec_ref_id, 1 FROM _bk_acts
      UNION ALL
      SELECT w.session, w.eid, a.exec_ref_id, w.depth + 1
      FROM walk w JOIN _bk_acts a ON a.session = w.session AND a.eid = w.root AND a.kind = 'correct'
      WHERE w.depth < 8
    ), roots AS (SELECT session, eid, arg_max(root, depth) AS root FROM walk GROUP BY 1, 2)
    SELECT r.session, r.root,
      arg_max(m.kind, m.seq) AS last_kind, arg_max(m.last_qty, m.seq) AS last_qty, arg_max(m.last_px, m.seq) AS last_px,
      arg_max(m.eid, m.seq) AS last_eid
    FROM roots r JOIN _bk_m m ON m.session = r.session AND m.eid = r.eid
    GROUP BY 1, 2`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_fill AS
    SELECT f.session, f.chain_root, f.seq, f.session || '|' || f.eid AS fill_id, f.eid AS exec_id,
      coalesce(a.last_eid, f.eid) AS current_exec_id, f.cl_ord_id, f.order_id, f.trd_match_id,
      f.symbol, f.side, f.account,
      CASE WHEN a.last_kind = 'correct' THEN coalesce(a.last_qty, f.last_qty) ELSE f.last_qty END AS qty,
      CASE WHEN a.last_kind = 'correct' THEN coalesce(a.last_px, f.last_px) ELSE f.last_px END AS px,
      coalesce(f.trade_date, f.transact_time::DATE, f.sending_time::DATE) AS trade_date,
      f.settl_date, f.transact_time, f.origin, f.message_index
    FROM _bk_m f LEFT JOIN _bk_act a ON a.session = f.session AND a.root = f.eid
    WHERE f.counted AND f.kind = 'fill' AND coalesce(a.last_kind, 'fill') <> 'bust'
      AND (CASE WHEN a.last_kind = 'correct' THEN coalesce(a.last_qty, f.last_qty) ELSE f.last_qty END) > 0`);
  await dropTempTables(tx, ['_bk_acts', '_bk_act']);
}

/**
 * Chains per summary statement. The summary's aggregate states (lists of ids, arg_max of text)
 * are held in memory and cannot spill: at 2M chains in one statement it ran out of a 2GB limit
 * (10M messages). Each statement summarises one range of chain keys instead, so its memory is
 * bounded by the range, not by the data.
 */
export const CHAINS_PER_SUMMARY_RANGE = 250_000;

/** [lo, hi] bounds (inclusive, UBIGINT as text) splitting the chain-key space into n equal ranges. */
export function chainKeyRanges(n: number): [string, string][] {
  const space = 1n << 64n;
  const out: [string, string][] = [];
  for (let i = 0n; i < BigInt(n); i++) {
    out.push([String((space * i) / BigInt(n)), String((space * (i + 1n)) / BigInt(n) - 1n)]);
  }
  return out;
}

/** The order summary of each chain (reported values are those of its last counted ExecutionReport). */
export async function buildChainSummary(tx: Db, chainsPerRange = CHAINS_PER_SUMMARY_RANGE): Promise<void> {
  // With the chain's key, in key order: each range statement joins the fill sums of its own range
  // only. Joined whole, every range built a hash table of every chain's sums (at 10M messages
  // 1.8M rows, 8 times).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_fsum AS
    SELECT ${chainKeySql('session', 'chain_root')} AS chain_key, * FROM (
      SELECT session, chain_root, sum(qty) AS cq, sum(qty * coalesce(px, 0)) AS notional, count(*) AS n,
        arg_max(px, seq) AS last_px
      FROM _bk_fill GROUP BY 1, 2)
    ORDER BY chain_key`);
  const chains = Number((await tx.all<{ n: number }>(`SELECT count(DISTINCT chain_key)::BIGINT AS n FROM _bk_m`))[0].n);
  const ranges = chainKeyRanges(Math.max(1, Math.ceil(chains / chainsPerRange)));
  for (let i = 0; i < ranges.length; i++) {
    // $1, $2: the range, bound as constants so the scans of _bk_m (sorted by chain_key) skip
    // the row groups of other ranges.
    await tx.run(`${i === 0 ? 'CREATE OR REPLACE TEMP TABLE _bk_chain AS' : 'INSERT INTO _bk_chain'} ${SUMMARY_SQL}`, ranges[i]);
  }
  await dropTempTables(tx, ['_bk_fsum']);
}

const IN_RANGE = (alias: string) => `${alias}.chain_key BETWEEN $1::UBIGINT AND $2::UBIGINT`;

const SUMMARY_SQL = `
    WITH agg AS (
      SELECT chain_key, session, chain_root,
        -- Lists sorted: the same chain gives the same summary whatever the ranges or threads.
        list(DISTINCT cl_ord_id ORDER BY cl_ord_id) FILTER (WHERE cl_ord_id IS NOT NULL) AS cl_ord_ids,
        list(DISTINCT orig_cl_ord_id ORDER BY orig_cl_ord_id) FILTER (WHERE orig_cl_ord_id IS NOT NULL) AS orig_ids,
        list(DISTINCT order_id ORDER BY order_id) FILTER (WHERE is_exec AND counted AND order_id IS NOT NULL) AS order_ids,
        count(order_id) FILTER (WHERE is_exec AND counted) AS reports_with_order_id,
        arg_max(symbol, seq) FILTER (WHERE symbol IS NOT NULL) AS symbol,
        arg_max(side, seq) FILTER (WHERE side IS NOT NULL) AS side,
        arg_max(account, seq) FILTER (WHERE account IS NOT NULL) AS account,
        arg_max(currency, seq) FILTER (WHERE currency IS NOT NULL) AS currency,
        arg_max(time_in_force, seq) FILTER (WHERE time_in_force IS NOT NULL) AS time_in_force,
        coalesce(arg_max(last_mkt, seq) FILTER (WHERE last_mkt IS NOT NULL),
                 arg_min(target_comp_id, seq) FILTER (WHERE msg_type = 'D')) AS venue,
        coalesce(arg_max(order_qty, seq) FILTER (WHERE is_exec AND counted AND order_qty IS NOT NULL),
                 arg_max(order_qty, seq) FILTER (WHERE msg_type IN ('D', 'G') AND counted AND order_qty IS NOT NULL)) AS order_qty,
        arg_max(price, seq) FILTER (WHERE price IS NOT NULL) AS price,
        arg_max({'cum': cum_qty, 'leaves': leaves_qty, 'avg': avg_px, 'status': ord_status, 'seq': seq}, seq)
          FILTER (WHERE is_exec AND counted) AS last_report,
        max(seq) FILTER (WHERE counted AND kind IN ('bust', 'correct') AND ord_status NOT IN ${TERMINAL_STATUSES_SQL}) AS reopen_seq,
        bool_or(msg_type = 'D') AS has_new_order,
        bool_or(is_exec) AS has_exec,
        coalesce(min(trade_date), min(transact_time)::DATE, min(sending_time)::DATE) AS trade_date,
        min(sending_time) AS first_seen, max(sending_time) AS last_seen, count(*) AS message_count
      FROM _bk_m WHERE ${IN_RANGE('_bk_m')} GROUP BY 1, 2, 3
    ), terminal AS (
      -- The first terminal report after the last bust/correction that reopened the order.
      SELECT m.session, m.chain_root, min(m.seq) AS terminal_seq,
        arg_min({'ord_status': m.ord_status, 'exec_id': m.exec_id, 'source_hash': o._cf_source_hash,
          'message_index': m.message_index, 'job_id': o._cf_job_id}, m.seq) AS terminal_report
      FROM _bk_m m JOIN agg a USING (session, chain_root) JOIN _bk_origin o ON o.origin = m.origin
      WHERE ${IN_RANGE('m')} AND m.is_exec AND m.counted AND m.seq > coalesce(a.reopen_seq, 0)
        AND (m.ord_status IN ${TERMINAL_STATUSES_SQL} OR (m.leaves_qty = 0 AND m.cum_qty > 0 AND m.ord_status = '1'))
      GROUP BY 1, 2
    )
    SELECT a.*, t.terminal_seq, t.terminal_report, a.last_report.cum AS reported_cum_qty, a.last_report.leaves AS reported_leaves_qty,
      a.last_report.avg AS reported_avg_px, a.last_report.status AS ord_status,
      a.last_report.status IN ${TERMINAL_STATUSES_SQL}
        OR (a.last_report.leaves = 0 AND a.last_report.cum > 0 AND a.last_report.status = '1') AS is_terminal,
      coalesce(s.cq, 0) AS computed_cum_qty, coalesce(s.notional, 0) AS computed_notional, coalesce(s.n, 0) AS fill_count,
      coalesce(NULLIF(a.last_report.avg, 0), a.price, s.last_px) AS px_ref
    FROM agg a LEFT JOIN (SELECT * FROM _bk_fsum s WHERE ${IN_RANGE('s')}) s USING (session, chain_root)
      LEFT JOIN terminal t USING (session, chain_root)`;

/**
 * The rows a pass will write into order_fills (_bk_ofn, in order_fills' column order) and
 * order_chain_members (_bk_mem), as committed temp tables before the pass's transaction: their
 * windows and sorts then scan in parallel, and the counterparty step reads them there too.
 */
export async function stageOrderState(held: Db): Promise<void> {
  // With the persisted tables' own column types (a fill's price keeps order_fills' scale, also
  // where the counterparty step reads the staged rows and writes them as text).
  await held.run('CREATE OR REPLACE TEMP TABLE _bk_mem AS SELECT * FROM order_chain_members LIMIT 0');
  await held.run('CREATE OR REPLACE TEMP TABLE _bk_ofn AS SELECT * FROM order_fills LIMIT 0');
  // Sorted by member_key = hash(cl_ord_id): a ClOrdID lookup reads the row group of its key only.
  // A chain is one row of _bk_chain, and list_distinct leaves its ids once each: no DISTINCT over
  // the members (at 10M messages, 2.8M of them, the statement took 1.55 s with it, 1.20 without).
  await held.run(`INSERT INTO _bk_mem
    SELECT hash(x) AS member_key, session, chain_root, x AS cl_ord_id FROM (
      SELECT session, chain_root, unnest(list_distinct(list_concat(coalesce(cl_ord_ids, []), coalesce(orig_ids, [])))) AS x FROM _bk_chain)
    ORDER BY 1`);
  // The ordinals come from a narrow projection joined back on (session, seq), unique per fill:
  // DuckDB's window operator carries every column of its input through its sorts, and over the
  // wide fill rows the two windows cost 1.5 CPU-s at 1M messages against 0.8 this way. Sorted
  // by chain_key: the drill-down reads a chain's fills by it (zone maps). The sort carries the
  // origin number instead of the lineage strings (a 64-character hash and a job id a row: at 10M
  // messages the statement took 8.0 s with them, 6.5 s without); the strings come after it, from
  // lists indexed by origin crossed with the sorted rows, since a hash join would not keep their
  // order (as for order_chain_messages in persistOrderState).
  await held.run(`INSERT INTO _bk_ofn
    WITH o AS (
      SELECT session, seq,
        CASE WHEN order_id IS NOT NULL THEN row_number() OVER (PARTITION BY session, order_id ORDER BY seq) END AS order_fill_ordinal,
        row_number() OVER (PARTITION BY session, chain_root ORDER BY seq) AS chain_fill_ordinal
      FROM _bk_fill)
    SELECT s.* EXCLUDE (origin, message_index), l.source_hashes[s.origin] AS source_hash, s.message_index, l.job_ids[s.origin] AS job_id
    FROM (
      SELECT ${chainKeySql('f.session', 'f.chain_root')} AS chain_key, f.fill_id, f.session, f.chain_root, f.cl_ord_id, f.order_id, f.exec_id,
        f.current_exec_id, f.trd_match_id, f.symbol, f.side, f.account, f.qty AS last_qty, f.px AS last_px, f.trade_date, f.settl_date,
        f.transact_time, o.order_fill_ordinal, o.chain_fill_ordinal, f.origin, f.message_index
      FROM _bk_fill f JOIN o ON o.session = f.session AND o.seq = f.seq
      ORDER BY chain_key, o.chain_fill_ordinal) s,
      (SELECT list(_cf_source_hash ORDER BY origin) AS source_hashes, list(_cf_job_id ORDER BY origin) AS job_ids FROM _bk_origin) l`);
}

/**
 * What order_fills and order_chain_members will hold once the pass is written: the persisted rows
 * of the sessions outside the scope (none on a full run) and the pass's staged rows. FROM-able SQL.
 */
export function orderStateAfterPass(full: boolean): OrderStateSources {
  const kept = (t: string) => `SELECT * FROM ${t} WHERE session NOT IN (SELECT session FROM _bk_scope) UNION ALL `;
  return {
    fills: `(${full ? '' : kept('order_fills')}SELECT * FROM _bk_ofn)`,
    members: `(${full ? '' : kept('order_chain_members')}SELECT * FROM _bk_mem)`,
  };
}

/**
 * Replaces the persisted derived state (members, chains, fills) of the scope sessions; a full
 * run replaces all of it (a session whose rows are gone leaves nothing behind).
 */
export async function persistOrderState(tx: Db, full: boolean): Promise<void> {
  for (const t of ['order_chain_members', 'order_chains', 'order_fills', 'order_chain_messages']) {
    await tx.run(full ? `DELETE FROM ${t}` : `DELETE FROM ${t} WHERE session IN (SELECT session FROM _bk_scope)`);
  }
  // The staged tables are stored in the order the persisted ones are kept in (stageOrderState),
  // and a scan keeps insertion order: no sort here.
  await tx.run(`INSERT INTO order_chain_members (member_key, session, chain_root, cl_ord_id) SELECT * FROM _bk_mem`);
  await tx.run(`INSERT INTO order_chains
    SELECT chain_key, session, chain_root, list_sort(list_distinct(list_concat(coalesce(cl_ord_ids, []), coalesce(orig_ids, [])))), order_ids,
      symbol, side, account, currency, venue, time_in_force, order_qty, price,
      reported_cum_qty, reported_leaves_qty, reported_avg_px, computed_cum_qty, computed_notional, ord_status,
      coalesce(is_terminal, false), trade_date, first_seen, last_seen, message_count, fill_count
    FROM _bk_chain ORDER BY chain_key`);
  // Sorted by chain_key: a drill-down reads the row group(s) of its key only (zone maps). _bk_m
  // is stored in (chain_key, seq) order, so no sort here either. The lineage strings come from
  // lists indexed by origin (row_number: 1, 2, …), one row crossed with _bk_m: a hash join with
  // _bk_origin instead wrote _bk_m's rows as two sorted runs (two threads, 1M messages).
  await tx.run(`INSERT INTO order_chain_messages
    SELECT chain_key, session, chain_root, seq, ${await chainMessageSql(tx)}
    FROM _bk_m, (SELECT list(_cf_source_hash ORDER BY origin) AS source_hashes, list(_cf_job_id ORDER BY origin) AS job_ids,
      list(_cf_parser_version ORDER BY origin) AS parser_versions, list(_cf_contract_hash ORDER BY origin) AS contract_hashes
      FROM _bk_origin) o`);
  await tx.run(`INSERT INTO order_fills SELECT * FROM _bk_ofn`);
}

/** Drops temp tables a later step no longer reads: their memory (or spill files) is freed at once. */
export async function dropTempTables(tx: Db, tables: string[]): Promise<void> {
  for (const t of tables) await tx.run(`DROP TABLE IF EXISTS ${t}`);
}

export async function countOf(tx: Db, table: string): Promise<number> {
  const rows = await tx.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`);
  return Number(rows[0].n);
}
