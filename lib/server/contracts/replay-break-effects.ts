// Which existing breaks a replay would change (issue 6): the rows that now pass are matched to
// open breaks (open or investigating) through what identifies an order or a fill in them:
//   - ClOrdID (cl_ord_id, orig_cl_ord_id of the row) = the break's cl_ord_id, or any ClOrdID of
//     the break's order chain (order_chain_members);
//   - ExecID (exec_id of the row) = a surviving fill of ours (order_fills), whose chain's breaks count.
// Each break is labelled with what the promoted rows can do to it: `may_close` when the break says
// a row is missing that the replayed rows can supply (an execution for an unknown chain, an
// unacknowledged order, a confirmation missing on one side, a sequence gap), `may_change` for the
// other breaks of the touched chains (quantities, prices, states are recomputed at the next
// detection run). Nothing is changed here: breaks move at the next detection run.
import type { Db } from '../../../db/open';

export type BreakEffect = 'may_close' | 'may_change';

/** Break classes a promoted row of an output can close: it supplies what the break says is missing. */
const MAY_CLOSE: Record<string, readonly string[]> = {
  confirmations: ['missing_in_counterparty', 'missing_in_ours'],
  fix_order_events: ['orphan_execution', 'unacknowledged_order', 'missing_in_ours'],
  fix_session_events: ['sequence_gap'],
};

export function breakEffect(output: string, cls: string): BreakEffect {
  return (MAY_CLOSE[output] ?? []).includes(cls) ? 'may_close' : 'may_change';
}

export interface ReplayKeys {
  clOrdIds: Set<string>;
  execIds: Set<string>;
}

export function emptyReplayKeys(): ReplayKeys {
  return { clOrdIds: new Set(), execIds: new Set() };
}

/** Adds the identifying values of one row that would pass (typed values, text). */
export function addReplayKeys(keys: ReplayKeys, values: Record<string, unknown>): void {
  for (const c of ['cl_ord_id', 'orig_cl_ord_id']) {
    const v = values[c];
    if (typeof v === 'string' && v !== '') keys.clOrdIds.add(v);
  }
  const e = values.exec_id;
  if (typeof e === 'string' && e !== '') keys.execIds.add(e);
}

export interface AffectedBreak {
  break_id: string;
  class: string;
  cl_ord_id: string | null;
  status: string;
  effect: BreakEffect;
  /** 'cl_ord_id' | 'chain' | 'exec_id' */
  matched_by: string;
}

export interface ReplayBreakReport {
  /** Open breaks the rows that pass touch (all of them, counted). */
  total: number;
  may_close: number;
  by_class: Record<string, number>;
  /** The first MAX_LISTED, may_close first. */
  items: AffectedBreak[];
}

export const MAX_LISTED = 100;
/** Keys sent to one query at most (a replay of more rows is matched on its first keys). */
const MAX_KEYS = 2000;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

export async function affectedBreaks(db: Db, output: string, keys: ReplayKeys): Promise<ReplayBreakReport> {
  const cl = [...keys.clOrdIds].slice(0, MAX_KEYS);
  const ex = [...keys.execIds].slice(0, MAX_KEYS);
  const report: ReplayBreakReport = { total: 0, may_close: 0, by_class: {}, items: [] };
  if (cl.length === 0 && ex.length === 0) return report;
  // Parameters in the order their placeholders appear: the CTE, the CASE, the WHERE.
  const chains: string[] = [];
  const params: unknown[] = [];
  if (cl.length > 0) {
    chains.push(`SELECT session, chain_root, 'chain' AS how FROM order_chain_members WHERE cl_ord_id IN (${placeholders(cl.length)})`);
    params.push(...cl);
  }
  if (ex.length > 0) {
    chains.push(`SELECT session, chain_root, 'exec_id' AS how FROM order_fills WHERE exec_id IN (${placeholders(ex.length)}) OR current_exec_id IN (${placeholders(ex.length)})`);
    params.push(...ex, ...ex);
  }
  const direct = cl.length > 0 ? `b.cl_ord_id IN (${placeholders(cl.length)})` : 'false';
  if (cl.length > 0) params.push(...cl, ...cl);
  const rows = await db.all<{ break_id: string; class: string; cl_ord_id: string | null; status: string; how: string }>(
    `WITH touched AS (${chains.join(' UNION ')})
     SELECT b.break_id, b.class, b.cl_ord_id, b.status,
            CASE WHEN ${direct} THEN 'cl_ord_id' ELSE coalesce(min(t.how), 'chain') END AS how
     FROM breaks b LEFT JOIN touched t ON t.session = b.session AND t.chain_root = b.chain_root
     WHERE b.status IN ('open', 'investigating') AND (t.chain_root IS NOT NULL OR ${direct})
     GROUP BY b.break_id, b.class, b.cl_ord_id, b.status
     ORDER BY b.break_id`,
    params,
  );
  const all = rows.map((r): AffectedBreak => ({
    break_id: r.break_id,
    class: r.class,
    cl_ord_id: r.cl_ord_id,
    status: r.status,
    effect: breakEffect(output, r.class),
    matched_by: r.how,
  }));
  all.sort((a, b) => Number(b.effect === 'may_close') - Number(a.effect === 'may_close') || (a.break_id < b.break_id ? -1 : 1));
  report.total = all.length;
  report.may_close = all.filter((b) => b.effect === 'may_close').length;
  for (const b of all) report.by_class[b.class] = (report.by_class[b.class] ?? 0) + 1;
  report.items = all.slice(0, MAX_LISTED);
  return report;
}
