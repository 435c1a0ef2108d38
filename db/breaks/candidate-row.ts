// One break as a detection step finds it, before id, severity and age are given (all text: the
// decimals stay exact, details and evidence are JSON text built in SQL).
export interface CandidateRow {
  class: string;
  match_key: string;
  session: string | null;
  chain_root: string | null;
  cl_ord_id: string | null;
  symbol: string | null;
  account: string | null;
  /** ISO date or null. */
  trade_date: string | null;
  /** Exact decimal text or null when the break has no economic measure. */
  notional: string | null;
  details: string;
  evidence: string;
}
