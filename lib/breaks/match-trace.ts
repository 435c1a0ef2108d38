import type { CounterpartyClass } from './break-classes';
import type { BreakConfig, Tolerance } from './break-config';
import { checkTolerance } from './tolerance';

// The match trace of a counterparty comparison: how our fill and their confirmation were paired
// (the key or rule used) and, per field, both values, the delta and the tolerance it was judged by.
// Mismatch breaks are read off the trace, so the trace an analyst sees is the decision itself.

export type MatchMethod = 'exec_id' | 'venue_trade_id' | 'order_id_ordinal' | 'chain_root_ordinal' | 'fuzzy' | 'fuzzy_sum';

/** Fuzzy matches are proposals: an analyst confirms them. */
export function needsReview(method: MatchMethod): boolean {
  return method === 'fuzzy' || method === 'fuzzy_sum';
}

/** One side-by-side comparison input; values are exact text (decimals, ISO dates, codes) or null. */
export interface ComparedPair {
  method: MatchMethod;
  /** The value the key matched on (an ExecID, 'ORD1#2', …), null for fuzzy matches. */
  keyValue: string | null;
  /** Number of our fills on the match (1, or N for a 1:N fuzzy match). */
  fillCount: number;
  ours: { qty: string; px: string | null; side: string | null; symbol: string | null; account: string | null; trade_date: string | null; settl_date: string | null };
  theirs: { qty: string; px: string; side: string | null; symbol: string | null; account: string | null; trade_date: string | null; settl_date: string | null };
}

export interface TraceField {
  field: 'quantity' | 'price' | 'side' | 'symbol' | 'account' | 'trade_date' | 'settl_date';
  ours: string | null;
  theirs: string | null;
  delta?: string;
  tolerance?: Tolerance;
  within: boolean;
  /** Not compared (a side has no value): never a break. */
  skipped?: boolean;
}

export interface MatchTrace {
  method: MatchMethod;
  key_value: string | null;
  fill_count: number;
  needs_review: boolean;
  fields: TraceField[];
}

const FIELD_CLASS: Record<TraceField['field'], CounterpartyClass> = {
  quantity: 'qty_mismatch',
  price: 'price_mismatch',
  side: 'side_mismatch',
  symbol: 'symbol_mismatch',
  account: 'account_mismatch',
  trade_date: 'trade_date_mismatch',
  settl_date: 'settl_date_mismatch',
};

function exact(field: TraceField['field'], ours: string | null, theirs: string | null, required: boolean): TraceField {
  if (ours === null || theirs === null) return { field, ours, theirs, within: !required || ours === theirs, skipped: !required };
  return { field, ours, theirs, within: ours === theirs };
}

export function buildMatchTrace(pair: ComparedPair, tolerances: BreakConfig['tolerances']): MatchTrace {
  const qty = checkTolerance(pair.ours.qty, pair.theirs.qty, tolerances.quantity);
  const fields: TraceField[] = [
    { field: 'quantity', ours: pair.ours.qty, theirs: pair.theirs.qty, delta: qty.delta, tolerance: tolerances.quantity, within: qty.within },
  ];
  if (pair.ours.px === null) {
    fields.push({ field: 'price', ours: null, theirs: pair.theirs.px, within: true, skipped: true });
  } else {
    const px = checkTolerance(pair.ours.px, pair.theirs.px, tolerances.price);
    fields.push({ field: 'price', ours: pair.ours.px, theirs: pair.theirs.px, delta: px.delta, tolerance: tolerances.price, within: px.within });
  }
  fields.push(
    exact('side', pair.ours.side, pair.theirs.side, false),
    exact('symbol', pair.ours.symbol, pair.theirs.symbol, false),
    exact('account', pair.ours.account, pair.theirs.account, false),
    exact('trade_date', pair.ours.trade_date, pair.theirs.trade_date, false),
    exact('settl_date', pair.ours.settl_date, pair.theirs.settl_date, false),
  );
  return { method: pair.method, key_value: pair.keyValue, fill_count: pair.fillCount, needs_review: needsReview(pair.method), fields };
}

/** The mismatch classes a trace proves (one per field outside its tolerance). */
export function mismatchClasses(trace: MatchTrace): CounterpartyClass[] {
  return trace.fields.filter((f) => !f.within && !f.skipped).map((f) => FIELD_CLASS[f.field]);
}
