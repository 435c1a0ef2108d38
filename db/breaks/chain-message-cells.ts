import { isoFromDuckDBTimestampTz } from '../open';

// The drill-down copy of a message (order_chain_messages) keeps its display cells in one column,
// `cells`: a JSON array of text (or null), one entry per name below, in this order. Measured on
// the 10M database (10,131,937 messages): a chain's messages read in 5.1 ms (p50) the first time
// instead of 14.2 with one column per cell, and in 2.6 instead of 5.7 ms once read, because a
// cold read loads a block per column of the row group; the copy is written as fast either way.
// Lineage, ordering and lookup columns stay columns of their own.
//
// Every cell is the text of the column's own cast to VARCHAR, which is what a row read with its
// column types gives back (BIGINT as exact text, DECIMAL as exact text, TIMESTAMPTZ as DuckDB
// prints it, turned into ISO 8601 here as db/open.ts does for a TIMESTAMPTZ column).

/** The cells, in array order. */
export const CHAIN_MESSAGE_CELLS = [
  'transact_time', 'sender_comp_id', 'target_comp_id', 'msg_type', 'msg_seq_num', 'poss_dup_flag',
  'cl_ord_id', 'orig_cl_ord_id', 'order_id', 'exec_id', 'exec_ref_id', 'exec_trans_type', 'exec_type', 'ord_status',
  'side', 'symbol', 'order_qty', 'price', 'last_qty', 'last_px', 'cum_qty', 'leaves_qty', 'avg_px', 'text',
] as const;
export type ChainMessageCell = (typeof CHAIN_MESSAGE_CELLS)[number];

const TIMESTAMP_CELLS: ReadonlySet<string> = new Set<ChainMessageCell>(['transact_time']);

/**
 * The SQL of the `cells` value, given the SQL expression of each cell (the caller's column or
 * cast). Every entry is cast to VARCHAR, so the array has one type and JSON keeps the text as is.
 */
export function chainMessageCellsSql(exprOf: (cell: ChainMessageCell) => string): string {
  return `to_json([${CHAIN_MESSAGE_CELLS.map((c) => `(${exprOf(c)})::VARCHAR`).join(', ')}])::VARCHAR`;
}

/** The cells of a stored `cells` value, by name (timestamps as ISO 8601, like a TIMESTAMPTZ column read). */
export function decodeChainMessageCells(cells: string): Record<ChainMessageCell, string | null> {
  const values = JSON.parse(cells) as unknown;
  if (!Array.isArray(values) || values.length !== CHAIN_MESSAGE_CELLS.length) {
    throw new Error(`breaks.bad_cells: a stored message has ${Array.isArray(values) ? values.length : 'no'} cells, not ${CHAIN_MESSAGE_CELLS.length}`);
  }
  const out = {} as Record<ChainMessageCell, string | null>;
  CHAIN_MESSAGE_CELLS.forEach((name, i) => {
    const v = values[i] as string | null;
    out[name] = v !== null && TIMESTAMP_CELLS.has(name) ? isoFromDuckDBTimestampTz(v) : v;
  });
  return out;
}
