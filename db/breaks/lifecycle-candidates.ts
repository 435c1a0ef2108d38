import type { BreakConfig } from '../../lib/breaks/break-config';
import type { Db } from '../open';
import type { CandidateRow, StageCandidates } from './candidate-row';
import { dropTempTables } from './build-order-state';
import { readTableInChunks } from './read-in-chunks';
import { withinSql } from './sql-fragments';

// Lifecycle break candidates of the chains in _bk_chain (built by build-order-state.ts). Each
// rule is one SELECT; the FIX reference and the treatment of engine deviations of every rule
// are in lib/breaks/break-classes.ts (RULES) and lib/breaks/rules.md.
// Parameters: $1 qty abs, $2 qty rel, $3 avg_px abs, $4 avg_px rel (exact decimals), renumbered per rule.

const Q_ABS = '$1::DECIMAL(20,10)';
const Q_REL = '$2::DECIMAL(20,10)';
const A_ABS = '$3::DECIMAL(20,10)';
const A_REL = '$4::DECIMAL(20,10)';

const v = (expr: string): string => `(${expr})::VARCHAR`;

/** Columns of a chain-level candidate; `extraKey` extends the match key session|chain_root (or `key` replaces it). */
function chainCandidate(
  cls: string,
  details: string,
  notional: string,
  extraKey: string | null = null,
  evidence = 'NULL::VARCHAR',
  key = extraKey === null ? `c.session || '|' || c.chain_root` : `c.session || '|' || c.chain_root || '|' || ${extraKey}`,
): string {
  return `SELECT '${cls}' AS class, ${key} AS match_key,
    c.session, c.chain_root, CASE WHEN c.chain_root LIKE '#order:%' THEN NULL ELSE c.chain_root END AS cl_ord_id,
    c.symbol, c.account, c.trade_date::VARCHAR AS trade_date, (${notional})::DECIMAL(38,10)::VARCHAR AS notional,
    json_object(${details})::VARCHAR AS details, ${evidence} AS evidence`;
}

const SUMMARY = `'order_qty', ${v('c.order_qty')}, 'reported_cum_qty', ${v('c.reported_cum_qty')},
  'computed_cum_qty', ${v('c.computed_cum_qty')}, 'reported_leaves_qty', ${v('c.reported_leaves_qty')},
  'ord_status', c.ord_status, 'cl_ord_ids', c.cl_ord_ids`;

const EXPECTED_LEAVES = `CASE WHEN c.is_terminal THEN 0 ELSE greatest(c.order_qty - c.reported_cum_qty, 0) END`;

/** A message's reference; `origin` is the alias of its lineage strings (_bk_origin for a _bk_m row). */
const msgRef = (alias: string, origin = alias): string =>
  `{'output': 'fix_order_events', 'source_hash': ${origin}._cf_source_hash, 'message_index': ${alias}.message_index, 'job_id': ${origin}._cf_job_id}`;

/**
 * One SELECT per rule, each over _bk_chain. A chain-level break's evidence (the chain's messages)
 * is left NULL by the rule and filled in by lifecycleCandidates for the chains that broke only.
 */
export const LIFECYCLE_RULES_SQL: string[] = [
  `
${chainCandidate(
  'overfill',
  `${SUMMARY}, 'excess_qty', ${v('greatest(c.computed_cum_qty, coalesce(c.reported_cum_qty, 0)) - c.order_qty')}`,
  '(greatest(c.computed_cum_qty, coalesce(c.reported_cum_qty, 0)) - c.order_qty)::DECIMAL(28,8) * c.px_ref',
)}
FROM _bk_chain c
WHERE c.order_qty IS NOT NULL AND (c.computed_cum_qty > c.order_qty OR c.reported_cum_qty > c.order_qty)
`,
  `
${chainCandidate(
  'cum_qty_mismatch',
  `${SUMMARY}, 'delta', ${v('c.reported_cum_qty - c.computed_cum_qty')}, 'fill_count', c.fill_count,
   'tolerance', json_object('abs', ${v(Q_ABS)}, 'rel', ${v(Q_REL)})`,
  'abs(c.reported_cum_qty - c.computed_cum_qty)::DECIMAL(28,8) * c.px_ref',
)}
FROM _bk_chain c
WHERE c.reported_cum_qty IS NOT NULL AND NOT ${withinSql('c.computed_cum_qty', 'c.reported_cum_qty', Q_ABS, Q_REL)}
`,
  `
${chainCandidate(
  'leaves_qty_mismatch',
  `${SUMMARY}, 'expected_leaves_qty', ${v(EXPECTED_LEAVES)}, 'terminal', c.is_terminal`,
  `abs(c.reported_leaves_qty - ${EXPECTED_LEAVES})::DECIMAL(28,8) * c.px_ref`,
)}
FROM _bk_chain c
WHERE c.reported_leaves_qty IS NOT NULL AND c.order_qty IS NOT NULL AND c.reported_cum_qty IS NOT NULL
  AND NOT ${withinSql(EXPECTED_LEAVES, 'c.reported_leaves_qty', Q_ABS, Q_REL)}
`,
  `
${chainCandidate(
  'avg_px_mismatch',
  `'reported_avg_px', ${v('c.reported_avg_px')}, 'computed_cum_qty', ${v('c.computed_cum_qty')},
   'computed_notional', ${v('c.computed_notional')}, 'fill_count', c.fill_count,
   'tolerance', json_object('abs', ${v(A_ABS)}, 'rel', ${v(A_REL)})`,
  'abs(c.reported_avg_px * c.computed_cum_qty - c.computed_notional)',
)}
FROM _bk_chain c
WHERE c.computed_cum_qty > 0 AND c.reported_avg_px IS NOT NULL
  AND abs(c.reported_avg_px * c.computed_cum_qty - c.computed_notional) > ${A_ABS} * c.computed_cum_qty
  AND abs(c.reported_avg_px * c.computed_cum_qty - c.computed_notional) > ${A_REL} * c.computed_notional
`,
  `
${chainCandidate(
  'fill_after_terminal',
  `'exec_id', f.exec_id, 'cl_ord_id', f.cl_ord_id, 'last_qty', ${v('f.qty')}, 'last_px', ${v('f.px')},
   'terminal_status', c.terminal_report.ord_status, 'terminal_exec_id', c.terminal_report.exec_id`,
  'f.qty::DECIMAL(28,8) * coalesce(f.px, c.px_ref)',
  'f.exec_id',
  `to_json([{'output': 'fix_order_events', 'source_hash': c.terminal_report.source_hash,
    'message_index': c.terminal_report.message_index, 'job_id': c.terminal_report.job_id}, ${msgRef('f', 'fo')}])::VARCHAR`,
)}
FROM _bk_chain c JOIN _bk_fill f ON f.session = c.session AND f.chain_root = c.chain_root AND f.seq > c.terminal_seq
  JOIN _bk_origin fo ON fo.origin = f.origin
WHERE c.terminal_seq IS NOT NULL
`,
  `
${chainCandidate(
  'duplicate_exec_id',
  `'exec_id', d.exec_id, 'occurrences', d.n, 'without_poss_dup', d.without_poss_dup, 'distinct_economics', d.econ`,
  'd.qty::DECIMAL(28,8) * coalesce(d.px, c.px_ref)',
  'd.exec_id',
  'd.evidence',
  `c.session || '|' || d.exec_id`,
)}
FROM _bk_chain c JOIN (
  SELECT session, exec_id, arg_min(chain_root, seq) AS chain_root, count(*) AS n,
    count(*) FILTER (WHERE poss_dup_flag IS DISTINCT FROM 'Y') AS without_poss_dup,
    count(DISTINCT concat_ws('|', coalesce(exec_type, ''), coalesce(last_qty::VARCHAR, ''), coalesce(last_px::VARCHAR, ''), coalesce(cl_ord_id, ''))) AS econ,
    arg_min(last_qty, seq) AS qty, arg_min(last_px, seq) AS px,
    to_json(list(${msgRef('_bk_m', 'o')} ORDER BY seq))::VARCHAR AS evidence
  FROM _bk_m JOIN _bk_origin o USING (origin) WHERE is_exec AND exec_id IS NOT NULL AND exec_id <> '0'
    -- Lists only for repeated ExecIDs: a list per ExecID over every report cannot spill to disk.
    -- Repeated: an ExecID with a report that is not its first (counted is false exactly for
    -- those, buildChains), found among the few such reports instead of by counting every ExecID.
    AND (session, exec_id) IN (SELECT DISTINCT session, exec_id FROM _bk_m
      WHERE is_exec AND NOT counted AND exec_id IS NOT NULL AND exec_id <> '0')
  GROUP BY 1, 2 HAVING count(*) > 1
    AND (count(DISTINCT concat_ws('|', coalesce(exec_type, ''), coalesce(last_qty::VARCHAR, ''), coalesce(last_px::VARCHAR, ''), coalesce(cl_ord_id, ''))) > 1
      OR count(*) FILTER (WHERE poss_dup_flag IS DISTINCT FROM 'Y') > 1)
) d USING (session, chain_root)
`,
  `
${chainCandidate('orphan_execution', `${SUMMARY}, 'order_ids', c.order_ids`, 'c.computed_cum_qty::DECIMAL(28,8) * c.px_ref')}
FROM _bk_chain c JOIN _bk_sess_d s USING (session)
WHERE c.has_exec AND NOT c.has_new_order AND s.any_d
`,
  `
${chainCandidate('unacknowledged_order', SUMMARY, 'c.order_qty::DECIMAL(28,8) * c.px_ref')}
FROM _bk_chain c
WHERE c.has_new_order AND NOT c.has_exec
`,
  `
${chainCandidate(
  'open_at_end_of_data',
  `${SUMMARY}, 'time_in_force', c.time_in_force, 'last_seen', c.last_seen::VARCHAR`,
  'coalesce(c.reported_leaves_qty, c.order_qty - c.computed_cum_qty)::DECIMAL(28,8) * c.px_ref',
)}
FROM _bk_chain c
WHERE c.has_exec AND NOT coalesce(c.is_terminal, false) AND coalesce(c.time_in_force, '0') NOT IN ('1', '6')
  AND NOT (c.has_exec AND NOT c.has_new_order)
`,
  `
${chainCandidate(
  'rejected_order',
  `'rejected_cl_ord_id', r.cl_ord_id, 'ord_rej_reason', r.reason, 'text', r.text`,
  'c.order_qty::DECIMAL(28,8) * c.px_ref',
  'r.cl_ord_id',
  'r.evidence',
)}
FROM _bk_chain c JOIN (
  SELECT session, chain_root, coalesce(cl_ord_id, '') AS cl_ord_id, arg_min(ord_rej_reason, seq) AS reason, arg_min(text, seq) AS text,
    to_json(list(${msgRef('_bk_m', 'o')} ORDER BY seq))::VARCHAR AS evidence
  FROM _bk_m JOIN _bk_origin o USING (origin) WHERE is_exec AND counted AND (ord_status = '8' OR exec_type = '8') GROUP BY 1, 2, 3
) r USING (session, chain_root)
`,
  `
${chainCandidate(
  'cancel_rejected',
  `'rejected_cl_ord_id', r.cl_ord_id, 'cxl_rej_reason', r.reason, 'cxl_rej_response_to', r.response_to, 'text', r.text`,
  'NULL',
  'r.cl_ord_id',
  'r.evidence',
)}
FROM _bk_chain c JOIN (
  SELECT session, chain_root, coalesce(cl_ord_id, '') AS cl_ord_id, arg_min(cxl_rej_reason, seq) AS reason,
    arg_min(cxl_rej_response_to, seq) AS response_to, arg_min(text, seq) AS text,
    to_json(list(${msgRef('_bk_m', 'o')} ORDER BY seq))::VARCHAR AS evidence
  FROM _bk_m JOIN _bk_origin o USING (origin) WHERE msg_type = '9' AND counted GROUP BY 1, 2, 3
) r USING (session, chain_root)
`,
  `
${chainCandidate('order_id_changed', `'order_ids', c.order_ids, 'reports_with_order_id', c.reports_with_order_id`, 'NULL')}
FROM _bk_chain c
WHERE len(c.order_ids) > 1 AND NOT (len(c.order_ids) = c.reports_with_order_id AND c.reports_with_order_id >= 3)
`
];

/**
 * Hands the lifecycle candidates to `stage` in chunks (readTableInChunks). Every rule's rows go
 * into one temp table (_bk_lc) first, in rule order; the chain-level ones get their evidence there.
 */
export async function lifecycleCandidates(tx: Db, config: BreakConfig, stage: StageCandidates): Promise<void> {
  const t = config.tolerances;
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_sess_d AS SELECT session, bool_or(has_new_order) AS any_d FROM _bk_chain GROUP BY 1`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_lc (${CANDIDATE_COLUMNS.map((c) => `${c} VARCHAR`).join(', ')})`);
  const params = [t.quantity.abs, t.quantity.rel, t.avg_px.abs, t.avg_px.rel];
  for (const sql of LIFECYCLE_RULES_SQL) {
    // Each statement binds only the parameters it names: DuckDB refuses unused ones.
    const used = params.filter((_, i) => sql.includes(`$${i + 1}`));
    await tx.run(`INSERT INTO _bk_lc BY NAME ${renumber(sql, params)}`, used);
  }
  // A chain-level candidate's evidence is its chain's messages in order (the first 200: the
  // drill-down shows them all), built for the chains that broke only: a list per chain over every
  // chain is the one aggregate of detection that cannot spill to disk. The candidates get theirs
  // by UPDATE, which keeps their order without sorting rows that carry evidence (a join with an
  // ORDER BY of the row id took 11.7–16 s at 10M messages; finding the evidence, 1.3 s).
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_ev_want AS SELECT DISTINCT session, chain_root FROM _bk_lc WHERE evidence IS NULL`);
  await tx.run(`CREATE OR REPLACE TEMP TABLE _bk_ev_found AS
    SELECT m.session, m.chain_root, to_json(list(${msgRef('m', 'o')} ORDER BY m.seq)[1:200])::VARCHAR AS evidence
    FROM _bk_m m JOIN _bk_origin o ON o.origin = m.origin SEMI JOIN _bk_ev_want w ON w.session = m.session AND w.chain_root = m.chain_root
    GROUP BY 1, 2`);
  await tx.run(`UPDATE _bk_lc SET evidence = f.evidence FROM _bk_ev_found f
    WHERE _bk_lc.evidence IS NULL AND f.session = _bk_lc.session AND f.chain_root = _bk_lc.chain_root`);
  await tx.run(`UPDATE _bk_lc SET evidence = '[]' WHERE evidence IS NULL`);
  await readTableInChunks<CandidateRow>(tx, '_bk_lc', stage);
  await dropTempTables(tx, ['_bk_lc', '_bk_ev_want', '_bk_ev_found']);
}

/**
 * The columns of _bk_lc: every field of a candidate (FoundBreak), checked by the compiler both
 * ways (a field missing here, or a name that is not one, fails the type check).
 */
const CANDIDATE_COLUMNS = [
  'class', 'match_key', 'session', 'chain_root', 'cl_ord_id', 'symbol', 'account', 'trade_date', 'notional', 'details', 'evidence',
] as const satisfies readonly (keyof CandidateRow)[];
const EVERY_CANDIDATE_FIELD: Exclude<keyof CandidateRow, (typeof CANDIDATE_COLUMNS)[number]> extends never ? true : never = true;
void EVERY_CANDIDATE_FIELD;

/** Renumbers $n placeholders to the positions of the parameters a statement actually uses. */
function renumber(sql: string, params: string[]): string {
  let next = 0;
  const map = new Map<number, number>();
  params.forEach((_, i) => {
    if (sql.includes(`$${i + 1}`)) map.set(i + 1, ++next);
  });
  return sql.replace(/\$(\d+)/g, (_, n: string) => `$${map.get(Number(n)) ?? n}`);
}
