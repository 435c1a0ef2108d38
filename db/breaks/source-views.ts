import { duckdbTypeOf } from '../../lib/contracts/duckdb-type';
import { ORDER_EVENT_COLUMNS, SESSION_EVENT_COLUMNS } from '../../lib/fix/fix-output-columns';
import type { ColumnSpec } from '../../lib/contracts/column-type';
import type { Db } from '../open';
import { columnNames } from './breaks-db';

// Detection reads the warehouse through two temp views with every column of the FIX intents:
// a column an approved contract left out reads as a typed NULL instead of failing detection
// (a rule that needs it then finds nothing, which is the honest answer). Lineage columns are
// required: without them no evidence can point at a row.

const LINEAGE = ['_cf_source_hash', 'message_index', '_cf_job_id'];
/** Lineage the drill-down shows (kept in order_chain_messages); a NULL when a table lacks it. */
const DISPLAY_LINEAGE: [string, string][] = [
  ['line_number', 'BIGINT'], ['_cf_parser_version', 'VARCHAR'], ['_cf_contract_hash', 'VARCHAR'],
  ['_cf_source_offset', 'BIGINT'], ['_cf_source_length', 'BIGINT'],
];

async function createView(tx: Db, view: string, table: string, columns: ColumnSpec[], display: [string, string][] = []): Promise<void> {
  const present = await columnNames(tx, table);
  const missingLineage = LINEAGE.filter((c) => !present.has(c));
  if (missingLineage.length > 0) throw new Error(`breaks.missing_lineage: ${table} has no ${missingLineage.join(', ')}`);
  const select = columns.map((c) =>
    present.has(c.name) ? `"${c.name}"` : `NULL::${duckdbTypeOf(c.type)} AS "${c.name}"`,
  );
  const shown = display.map(([c, type]) => (present.has(c) ? `"${c}"` : `NULL::${type} AS "${c}"`));
  await tx.run(`CREATE OR REPLACE TEMP VIEW ${view} AS SELECT ${[...select, ...LINEAGE, ...shown].join(', ')} FROM ${table}`);
}

export async function createSourceViews(tx: Db, opts: { hasSessionEvents: boolean }): Promise<void> {
  await createView(tx, '_bk_src_orders', 'fix_order_events', ORDER_EVENT_COLUMNS, DISPLAY_LINEAGE);
  if (opts.hasSessionEvents) await createView(tx, '_bk_src_sessions', 'fix_session_events', SESSION_EVENT_COLUMNS);
}
