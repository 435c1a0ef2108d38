import Decimal from 'decimal.js';
import type { BreakConfig } from '../../lib/breaks/break-config';
import { buildMatchTrace, mismatchClasses, type MatchMethod } from '../../lib/breaks/match-trace';
import type { Db } from '../open';
import type { CandidateRow, StageCandidates } from './candidate-row';
import { columnNames } from './breaks-db';
import { dropTempTables } from './build-order-state';
import { readInChunks } from './read-in-chunks';
import { chainKeySql, withinSql } from './sql-fragments';

// Counterparty reconciliation: our surviving fills (all sessions) against the confirmations
// table. Matching is global (a fuzzy pass may pair rows of any session), so it is recomputed whole
// on every detection run; it is a handful of joins over fills, not messages. It reads the fills
// and chain members as they will be once the pass is written (OrderStateSources), so that it runs
// before the pass's transaction: DuckDB scans the tables a transaction built itself on one thread.
// Only writing the matches (writeCounterpartyMatches) is part of the transaction.
//
// Passes, in order, each 1:1 over rows still unmatched and only where the key is unambiguous
// on both sides: ExecID, venue trade id (TrdMatchID(880) ↔ a venue_trade_id / trade_id column),
// OrderID + fill ordinal, chain root + fill ordinal; then fuzzy 1:1 (same symbol, side, account,
// quantity and price within tolerance, TransactTime within the window or, without times, the
// same trade date; closest in time wins) and fuzzy 1:N (one confirmation = the sum of ≥ 2 fills
// of one chain, quantity-weighted price within tolerance). Fuzzy matches are marked for review.

const VENUE_TRADE_ID_COLUMNS = ['venue_trade_id', 'trade_id', 'trd_match_id'];

const UNIQUE_PAIR = `QUALIFY count(*) OVER (PARTITION BY f.fill_id) = 1 AND count(*) OVER (PARTITION BY c.conf_id) = 1`;

// $1 qty abs, $2 qty rel, $3 price abs, $4 price rel, $5 window seconds
const Q_ABS = '$1::DECIMAL(20,10)';
const Q_REL = '$2::DECIMAL(20,10)';
const P_ABS = '$3::DECIMAL(20,10)';
const P_REL = '$4::DECIMAL(20,10)';
const SAME_PARTY = `f.symbol = c.symbol AND f.side = c.side AND (f.account IS NULL OR c.account IS NULL OR f.account = c.account)`;
const IN_WINDOW = `CASE WHEN f.transact_time IS NOT NULL AND c.transact_time IS NOT NULL
  THEN abs(date_diff('millisecond', f.transact_time, c.transact_time)) <= $5::BIGINT * 1000
  ELSE f.trade_date = c.trade_date END`;
const DT = `coalesce(abs(date_diff('millisecond', f.transact_time, c.transact_time)), 0)`;

/** Ours against theirs, field by field: quantity must be equal (a NULL compares as unknown), the rest not distinct. */
const COMPARED: [ours: string, theirs: string, op: string][] = [
  ['f.qty', 'c.quantity', '<>'], ['f.px', 'c.price', 'IS DISTINCT FROM'], ['f.side', 'c.side', 'IS DISTINCT FROM'],
  ['f.symbol', 'c.symbol', 'IS DISTINCT FROM'], ['f.account', 'c.account', 'IS DISTINCT FROM'],
  ['f.trade_date', 'c.trade_date', 'IS DISTINCT FROM'], ['f.settl_date', 'c.settl_date', 'IS DISTINCT FROM'],
];
const fieldsDiffer = (value: (column: string) => string): string =>
  COMPARED.map(([ours, theirs, op]) => `${value(ours)} ${op} ${value(theirs)}`).join(' OR ');

/** A matched pair (one confirmation, its fills) that is not an exact 1:1 agreement: checked field by field. */
const PAIR_DIFFERS = `count(*) > 1 OR ${fieldsDiffer((c) => `any_value(${c})`)}`;

/** PAIR_DIFFERS for a pair of one fill, on its row (the same comparisons, so the two cannot drift apart). */
const ROW_DIFFERS = fieldsDiffer((c) => c);

const msgRef = `{'output': 'fix_order_events', 'source_hash': f.source_hash, 'message_index': f.message_index, 'job_id': f.job_id}`;
const confRef = `{'output': 'confirmations', 'source_hash': c._cf_source_hash, 'message_index': c.message_index, 'job_id': c._cf_job_id}`;

/** FROM-able SQL (built by db/breaks, never from input) for order_fills and order_chain_members. */
export interface OrderStateSources {
  fills: string;
  members: string;
}

/**
 * Hands the candidates of the counterparty family to `stage` in chunks. Leaves the matches in
 * _bk_mj for writeCounterpartyMatches (detectBreaks drops it with the pass's other temp tables).
 */
export async function counterpartyCandidates(
  tx: Db,
  config: BreakConfig,
  sources: OrderStateSources,
  stage: StageCandidates,
): Promise<void> {
  const confColumns = await columnNames(tx, 'confirmations');
  const venueColumn = VENUE_TRADE_ID_COLUMNS.find((c) => confColumns.has(c));
  const opt = (col: string, type = 'VARCHAR'): string => (confColumns.has(col) ? col : `NULL::${type}`);
  const confId = `CASE WHEN nullif(trim(${opt('counterparty')}), '') IS NULL THEN exec_id ELSE trim(${opt('counterparty')}) || ':' || exec_id END`;
  const orderId = `nullif(trim(${opt('order_id')}), '')`;
  // The latest row of each confirmation id, and its ordinal within its OrderID. Both windows run
  // over narrow rows (the row id and the keys), joined back by row id: DuckDB's window operator
  // carries every column of its input through its sorts (0.75 against 0.92 CPU-s at 1M rows).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_cf AS
    WITH latest AS (
      SELECT rid, row_number() OVER (PARTITION BY order_id ORDER BY transact_time, exec_id) AS order_ordinal
      FROM (
        SELECT rowid AS rid, ${orderId} AS order_id, ${opt('transact_time', 'TIMESTAMPTZ')} AS transact_time, exec_id FROM confirmations
        QUALIFY row_number() OVER (PARTITION BY ${confId} ORDER BY _cf_job_id DESC, message_index) = 1))
    SELECT ${confId} AS conf_id,
      exec_id, nullif(trim(${opt('cl_ord_id')}), '') AS cl_ord_id, ${orderId} AS order_id,
      symbol, side, quantity, price, trade_date, ${opt('settl_date', 'DATE')} AS settl_date,
      ${opt('transact_time', 'TIMESTAMPTZ')} AS transact_time, nullif(trim(${opt('account')}), '') AS account,
      ${venueColumn ? `nullif(trim(${venueColumn}::VARCHAR), '')` : 'NULL::VARCHAR'} AS venue_trade_id,
      _cf_source_hash, message_index, _cf_job_id, l.order_ordinal
    FROM confirmations c JOIN latest l ON l.rid = c.rowid`);
  // Chain of a confirmation's ClOrdID (only when it names one chain) and its ordinal in it.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_cf_chain AS
    SELECT c.conf_id, m.session, m.chain_root,
      row_number() OVER (PARTITION BY m.session, m.chain_root ORDER BY c.transact_time, c.exec_id) AS chain_ordinal
    FROM _bk_cf c JOIN (
      SELECT cl_ord_id, any_value(session) AS session, any_value(chain_root) AS chain_root
      FROM ${sources.members} GROUP BY 1 HAVING count(*) = 1
    ) m ON m.cl_ord_id = c.cl_ord_id`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_of AS
    SELECT fill_id, session, chain_root, cl_ord_id, order_id, exec_id, current_exec_id, trd_match_id, symbol, side, account,
      last_qty AS qty, last_px AS px, trade_date, settl_date, transact_time, order_fill_ordinal, chain_fill_ordinal,
      source_hash, message_index, job_id
    FROM ${sources.fills}`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_match (fill_id VARCHAR, conf_id VARCHAR, method VARCHAR, key_value VARCHAR)`);
  const t = config.tolerances;
  const params = [t.quantity.abs, t.quantity.rel, t.price.abs, t.price.rel, String(config.fuzzy.time_window_seconds)];
  const keyPasses: [MatchMethod, string, string][] = [
    ['venue_trade_id', 'c.venue_trade_id = f.trd_match_id', 'c.venue_trade_id'],
    ['order_id_ordinal', 'c.order_id = f.order_id AND c.order_ordinal = f.order_fill_ordinal', `c.order_id || '#' || c.order_ordinal`],
  ];
  // ExecID: the fill's original or correcting ExecID (two equality keys, not an OR join). The
  // first pass, over every row (nothing is matched yet). The DISTINCT keeps a (fill, key) pair
  // once, or UNIQUE_PAIR would count it twice; a fill never corrected has its ExecID as its
  // current one, so its second row is left out before the DISTINCT instead of removed by it (the
  // same pairs; at 10M messages the DISTINCT over both rows of every fill was 3.3 CPU-s).
  await tx.run(`INSERT INTO _bk_match SELECT f.fill_id, c.conf_id, 'exec_id', c.exec_id
    FROM (SELECT DISTINCT fill_id, k FROM (
      SELECT fill_id, exec_id AS k FROM _bk_of
      UNION ALL SELECT fill_id, current_exec_id FROM _bk_of WHERE current_exec_id IS DISTINCT FROM exec_id)) f
    JOIN _bk_cf c ON c.exec_id = f.k ${UNIQUE_PAIR}`);
  // The later passes join only the rows still unmatched (_bk_of_u, _bk_cf_u), and the rows a
  // pass matches then leave them: the same pairs as joining every row and leaving out those
  // matched so far, without two anti-joins against every match per pass.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_of_u AS SELECT * FROM _bk_of WHERE fill_id NOT IN (SELECT fill_id FROM _bk_match)`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_cf_u AS SELECT * FROM _bk_cf WHERE conf_id NOT IN (SELECT conf_id FROM _bk_match)`);
  const dropMatched = async (method: MatchMethod) => {
    await tx.run(`DELETE FROM _bk_of_u WHERE fill_id IN (SELECT fill_id FROM _bk_match WHERE method = '${method}')`);
    await tx.run(`DELETE FROM _bk_cf_u WHERE conf_id IN (SELECT conf_id FROM _bk_match WHERE method = '${method}')`);
  };
  for (const [method, on, keyValue] of keyPasses) {
    await tx.run(`INSERT INTO _bk_match SELECT f.fill_id, c.conf_id, '${method}', ${keyValue}
      FROM _bk_of_u f JOIN _bk_cf_u c ON ${on} ${UNIQUE_PAIR}`);
    await dropMatched(method);
  }
  await tx.run(`INSERT INTO _bk_match SELECT f.fill_id, c.conf_id, 'chain_root_ordinal', f.chain_root || '#' || cc.chain_ordinal
    FROM _bk_of_u f JOIN _bk_cf_chain cc ON cc.session = f.session AND cc.chain_root = f.chain_root AND cc.chain_ordinal = f.chain_fill_ordinal
    JOIN _bk_cf_u c ON c.conf_id = cc.conf_id ${UNIQUE_PAIR}`);
  await dropMatched('chain_root_ordinal');
  await tx.run(
    `INSERT INTO _bk_match SELECT fill_id, conf_id, 'fuzzy', NULL FROM (
      SELECT f.fill_id, c.conf_id, ${DT} AS dt FROM _bk_of_u f JOIN _bk_cf_u c
        ON ${SAME_PARTY} AND ${withinSql('f.qty', 'c.quantity', Q_ABS, Q_REL)} AND f.px IS NOT NULL
        AND ${withinSql('f.px', 'c.price', P_ABS, P_REL)} AND ${IN_WINDOW}
      QUALIFY row_number() OVER (PARTITION BY c.conf_id ORDER BY dt, f.fill_id) = 1
    ) QUALIFY row_number() OVER (PARTITION BY fill_id ORDER BY dt, conf_id) = 1`,
    params,
  );
  await dropMatched('fuzzy');
  await tx.run(
    `INSERT INTO _bk_match SELECT unnest(fills), conf_id, 'fuzzy_sum', NULL FROM (
      SELECT c.conf_id, f.session, f.chain_root, list(f.fill_id) AS fills
      FROM _bk_cf_u c JOIN _bk_of_u f ON ${SAME_PARTY} AND f.px IS NOT NULL AND ${IN_WINDOW}
      GROUP BY c.conf_id, c.quantity, c.price, f.session, f.chain_root
      HAVING count(*) >= 2 AND ${withinSql('sum(f.qty)', 'c.quantity', Q_ABS, Q_REL)}
        AND (abs(c.price * sum(f.qty) - sum(f.qty * f.px)) <= ${P_ABS} * sum(f.qty)
          OR abs(c.price * sum(f.qty) - sum(f.qty * f.px)) <= ${P_REL} * sum(f.qty * f.px))
      QUALIFY count(*) OVER (PARTITION BY c.conf_id) = 1 AND count(*) OVER (PARTITION BY f.session, f.chain_root) = 1
    )`,
    params,
  );
  await dropMatched('fuzzy_sum');
  // Every match joined once with its fill and confirmation: the stored matches and the pairs
  // that differ both come from it. One join per statement, and unsorted (the write sorts): at 10M
  // messages, in a pass at a 1GB memory_limit, the statement with both joins and the sort ran out
  // of memory, and so did one join with the sort; the join alone and the sort alone did not.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_mf AS
    SELECT ${chainKeySql('f.session', 'f.chain_root')} AS chain_key, m.fill_id, m.conf_id, m.method,
      ${COMPARED.map(([ours]) => ours).join(', ')}
    FROM _bk_match m JOIN _bk_of f USING (fill_id)`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_mj AS
    SELECT f.chain_key, f.fill_id, f.conf_id, f.method, c.trade_date, coalesce(${ROW_DIFFERS}, false) AS row_differs
    FROM _bk_mf f JOIN _bk_cf c USING (conf_id)`);
  await dropTempTables(tx, ['_bk_mf']);
  // Lists only for the pairs that differ: a list per pair over every match cannot spill to disk.
  // Which pairs differ, without an aggregate of every match's values (that took 15 s of the step
  // at 10M messages): a pair of several fills always differs (PAIR_DIFFERS), a pair of one fill
  // when its row does.
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_diff AS
    SELECT method, conf_id FROM _bk_mj GROUP BY 1, 2 HAVING count(*) > 1 OR bool_or(row_differs)`);
  // Pairs and unmatched rows are read in chunks (readInChunks): at 10M messages tens of thousands
  // of pairs differ, and a day of fills without confirmations would be a row each.
  await readInChunks<PairRow>(tx, '_bk_cp_pairs', { sql: `
    SELECT m.method, any_value(m.key_value) AS key_value, m.conf_id, count(*)::INTEGER AS fill_count,
      CASE WHEN count(*) = 1 THEN any_value(f.fill_id) ELSE 'sum:' || any_value(f.session) || '|' || any_value(f.chain_root) END AS fill_key,
      any_value(f.session) AS session, any_value(f.chain_root) AS chain_root, any_value(f.cl_ord_id) AS cl_ord_id,
      sum(f.qty)::VARCHAR AS ours_qty, sum(f.qty * f.px)::VARCHAR AS ours_notional, any_value(f.px)::VARCHAR AS ours_px,
      any_value(f.side) AS ours_side, any_value(f.symbol) AS ours_symbol, any_value(f.account) AS ours_account,
      CASE WHEN count(DISTINCT f.trade_date) = 1 THEN any_value(f.trade_date)::VARCHAR END AS ours_trade_date,
      CASE WHEN count(DISTINCT f.settl_date) = 1 THEN any_value(f.settl_date)::VARCHAR END AS ours_settl_date,
      any_value(c.quantity)::VARCHAR AS their_qty, any_value(c.price)::VARCHAR AS their_px, any_value(c.side) AS their_side,
      any_value(c.symbol) AS their_symbol, any_value(c.account) AS their_account, any_value(c.trade_date)::VARCHAR AS their_trade_date,
      any_value(c.settl_date)::VARCHAR AS their_settl_date,
      to_json(list_concat(list(${msgRef} ORDER BY f.fill_id), [any_value(${confRef})]))::VARCHAR AS evidence
    FROM _bk_diff d JOIN _bk_match m USING (method, conf_id) JOIN _bk_of f USING (fill_id) JOIN _bk_cf c USING (conf_id)
    GROUP BY m.method, m.conf_id
    HAVING ${PAIR_DIFFERS}` }, async (pairs) => {
    const out: CandidateRow[] = [];
    for (const p of pairs) {
      const oursPx =
        p.fill_count > 1 && p.ours_notional !== null && new Decimal(p.ours_qty).gt(0)
          ? Decimal.clone({ precision: 40 }).div(p.ours_notional, p.ours_qty).toFixed()
          : p.ours_px;
      const trace = buildMatchTrace(
        {
          method: p.method as MatchMethod,
          keyValue: p.key_value,
          fillCount: p.fill_count,
          ours: { qty: p.ours_qty, px: oursPx, side: p.ours_side, symbol: p.ours_symbol, account: p.ours_account, trade_date: p.ours_trade_date, settl_date: p.ours_settl_date },
          theirs: { qty: p.their_qty, px: p.their_px, side: p.their_side, symbol: p.their_symbol, account: p.their_account, trade_date: p.their_trade_date, settl_date: p.their_settl_date },
        },
        t,
      );
      for (const cls of mismatchClasses(trace)) {
        out.push({
          class: cls,
          match_key: `${p.fill_key}|${p.conf_id}`,
          session: p.session,
          chain_root: p.chain_root,
          cl_ord_id: p.cl_ord_id,
          symbol: p.ours_symbol,
          account: p.ours_account,
          trade_date: p.ours_trade_date ?? p.their_trade_date,
          notional: mismatchNotional(cls, p, oursPx),
          details: JSON.stringify({ confirmation_id: p.conf_id, fill_id: p.fill_key, trace }),
          evidence: p.evidence,
        });
      }
    }
    await stage(out);
  });
  // What no pass matched: the unmatched sets as the last pass left them.
  await readInChunks<CandidateRow>(tx, '_bk_cp_missing', { sql: `
    SELECT 'missing_in_counterparty' AS class, f.fill_id AS match_key, f.session, f.chain_root, f.cl_ord_id, f.symbol, f.account,
      f.trade_date::VARCHAR AS trade_date, (f.qty::DECIMAL(28,8) * f.px)::DECIMAL(38,10)::VARCHAR AS notional,
      json_object('exec_id', f.exec_id, 'order_id', f.order_id, 'qty', f.qty::VARCHAR, 'px', f.px::VARCHAR, 'side', f.side,
        'settl_date', f.settl_date::VARCHAR, 'transact_time', f.transact_time::VARCHAR)::VARCHAR AS details,
      to_json([${msgRef}])::VARCHAR AS evidence
    FROM _bk_of_u f
    WHERE f.trade_date IN (SELECT trade_date FROM _bk_cf)
    UNION ALL
    SELECT 'missing_in_ours', c.conf_id, NULL, NULL, c.cl_ord_id, c.symbol, c.account, c.trade_date::VARCHAR,
      (c.quantity::DECIMAL(28,8) * c.price)::DECIMAL(38,10)::VARCHAR,
      json_object('exec_id', c.exec_id, 'order_id', c.order_id, 'quantity', c.quantity::VARCHAR, 'price', c.price::VARCHAR,
        'side', c.side, 'settl_date', c.settl_date::VARCHAR, 'transact_time', c.transact_time::VARCHAR)::VARCHAR,
      to_json([${confRef}])::VARCHAR
    FROM _bk_cf_u c
    WHERE c.trade_date IN (SELECT trade_date FROM _bk_of)` }, stage);
  await dropTempTables(tx, ['_bk_diff', '_bk_cf', '_bk_cf_chain', '_bk_of', '_bk_of_u', '_bk_cf_u', '_bk_match']);
}

/** Replaces counterparty_matches with the matches counterpartyCandidates left in _bk_mj. */
export async function writeCounterpartyMatches(tx: Db): Promise<void> {
  await tx.run(`DELETE FROM counterparty_matches`);
  // Sorted by the chain_key of the fill's chain: the drill-down reads a chain's matches by it.
  await tx.run(`INSERT INTO counterparty_matches
    SELECT chain_key, fill_id, conf_id, method, method IN ('fuzzy', 'fuzzy_sum'), trade_date FROM _bk_mj ORDER BY chain_key`);
}

interface PairRow {
  method: string;
  key_value: string | null;
  conf_id: string;
  fill_count: number;
  fill_key: string;
  session: string | null;
  chain_root: string | null;
  cl_ord_id: string | null;
  ours_qty: string;
  ours_notional: string | null;
  ours_px: string | null;
  ours_side: string | null;
  ours_symbol: string | null;
  ours_account: string | null;
  ours_trade_date: string | null;
  ours_settl_date: string | null;
  their_qty: string;
  their_px: string;
  their_side: string | null;
  their_symbol: string | null;
  their_account: string | null;
  their_trade_date: string | null;
  their_settl_date: string | null;
  evidence: string;
}

/** Impact of a mismatch: the quantity difference at our price, the price difference on the quantity, else the trade. */
function mismatchNotional(cls: string, p: PairRow, oursPx: string | null): string | null {
  const px = new Decimal(oursPx ?? p.their_px);
  if (cls === 'qty_mismatch') return new Decimal(p.their_qty).minus(p.ours_qty).abs().times(px).toFixed();
  if (cls === 'price_mismatch') return new Decimal(p.their_px).minus(px).abs().times(p.ours_qty).toFixed();
  return new Decimal(p.ours_qty).times(px).toFixed();
}
