// SQL fragments shared by the break detection steps. Everything here is constant text (no
// values): values are bound as parameters by the callers.
import { narrowDecimalScale } from '../parquet/cast-from-text';

/** The session of a message: its SenderCompID/TargetCompID pair in either direction, as 'A|B' with A ≤ B. */
export const SESSION_SQL = `CASE WHEN coalesce(sender_comp_id, '') <= coalesce(target_comp_id, '')
  THEN coalesce(sender_comp_id, '') || '|' || coalesce(target_comp_id, '')
  ELSE coalesce(target_comp_id, '') || '|' || coalesce(sender_comp_id, '') END`;

/**
 * A message's position across files: file rank · 2^40 + message_index, which orders messages by
 * (file, message_index) without a sort of the rows (message_index < 2^40). Detection's seq and
 * the sequence step's order both use it.
 */
export const filePositionSql = (fileRank: string, messageIndex: string): string => `${fileRank} * 1099511627776 + ${messageIndex}`;

/**
 * A chain's key, hash(session | chain_root): how the chain tables are sorted and looked up. Every
 * table keyed by it must compute it alike (the summary's ranges, for one, join rows by it).
 */
export const chainKeySql = (session: string, chainRoot: string): string => `hash(${session} || '|' || ${chainRoot})`;

/** An identifier cell: blank → NULL. */
export const id = (col: string): string => `NULLIF(trim(${col}), '')`;

/** OrderID placeholders some engines send on rejects and before acceptance are no identity. */
export const orderIdSql = (col: string): string => `CASE WHEN trim(${col}) IN ('', 'NONE', '0') THEN NULL ELSE trim(${col}) END`;

/** FIX Side(54) → the confirmations vocabulary. */
export const SIDE_WORD_SQL = (col: string): string =>
  `CASE ${col} WHEN '1' THEN 'BUY' WHEN '2' THEN 'SELL' WHEN '5' THEN 'SELL_SHORT' WHEN '6' THEN 'SELL_SHORT' ELSE ${col} END`;

/** OrdStatus(39) values after which an order takes no more fills. */
export const TERMINAL_STATUSES_SQL = `('2', '3', '4', '8', 'C')`;

/** Job ids arrive as one JSON array parameter (the Db API binds scalars only). */
export const JOB_IDS_SQL = `(SELECT unnest(from_json(?, '["VARCHAR"]')))`;

/** |theirs − ours| within tolerance (abs, rel bound as DECIMAL text): the SQL twin of lib/breaks/tolerance.ts. */
export function withinSql(ours: string, theirs: string, abs: string, rel: string): string {
  return `(abs((${theirs}) - (${ours})) <= ${abs} OR abs((${theirs}) - (${ours})) <= ${rel} * abs(${ours}))`;
}

/**
 * A column as exact text (what the drill-down shows). A DECIMAL wider than 18 digits (a HUGEINT
 * decimal: the contracts' DECIMAL(24, s)) casts to text about three times slower than one that
 * fits a BIGINT, so values that fit DECIMAL(18, s) are narrowed first: same scale, so the text
 * is the same and TRY_CAST is NULL only on overflow (or on NULL, which the direct cast keeps),
 * and coalesce casts only those rows directly (narrowDecimalScale, shared with the text → decimal
 * cast of db/parquet/cast-from-text.ts).
 */
export function textOfSql(col: string, duckdbType: string): string {
  const scale = narrowDecimalScale(duckdbType);
  return scale === null ? `${col}::VARCHAR` : `coalesce(TRY_CAST(${col} AS DECIMAL(18,${scale}))::VARCHAR, ${col}::VARCHAR)`;
}
