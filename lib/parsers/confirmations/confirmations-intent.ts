import type { ColumnSpec } from '../../contracts/column-type';
import type { OutputIntent } from '../parser-types';

// The documented default columns of a confirmations file (agreed in HELPERS.md; H3's default
// contract and H8's generator depend on these names and types). A file may carry more columns:
// they pass through as extra columns, the default contract mode being 'allow_extra'.

export const CONFIRMATIONS_OUTPUT = 'confirmations';
export const CONFIRMATIONS_ERROR_OUTPUT = 'confirmations_parse_errors';

const str = (name: string, nullable = true): ColumnSpec => ({ name, type: 'string', nullable });

export const CONFIRMATIONS_COLUMNS: ColumnSpec[] = [
  str('exec_id', false),
  str('cl_ord_id'),
  str('order_id'),
  str('symbol', false),
  { name: 'side', type: { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT'] }, nullable: false },
  { name: 'quantity', type: { kind: 'decimal', precision: 18, scale: 4 }, nullable: false },
  { name: 'price', type: { kind: 'decimal', precision: 18, scale: 8 }, nullable: false },
  str('currency'),
  { name: 'trade_date', type: 'date', nullable: false, format: 'yyyy-MM-dd' },
  { name: 'settl_date', type: 'date', nullable: true, format: 'yyyy-MM-dd' },
  { name: 'transact_time', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'iso8601' },
  str('account'),
  str('counterparty'),
];

export const CONFIRMATIONS_INTENT: OutputIntent = {
  name: CONFIRMATIONS_OUTPUT,
  description:
    'One row per confirmed execution from a counterparty or back-office file. Columns are the file\'s own ' +
    '(header names normalised to snake_case); every cell is the exact text of the file.',
  columns: CONFIRMATIONS_COLUMNS,
};
