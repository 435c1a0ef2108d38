import type { ColumnSpec } from '../contracts/column-type';

// Column names of the FIX parser's outputs. Other parts of the product (break detection,
// the demo generator, the drill-down) depend on these names: rename only with all of them.

const PRICE = { kind: 'decimal', precision: 24, scale: 10 } as const;
const QTY = { kind: 'decimal', precision: 24, scale: 8 } as const;
const UTC_TS = { kind: 'timestamp_tz', tz: 'UTC' } as const;

const str = (name: string, nullable = true): ColumnSpec => ({ name, type: 'string', nullable });
// FIX floats: format fix_float (no '+' sign; lib/contracts/decimal-format.ts). Edit by F, issue 10.
const px = (name: string): ColumnSpec => ({ name, type: { ...PRICE }, nullable: true, format: 'fix_float' });
const qty = (name: string): ColumnSpec => ({ name, type: { ...QTY }, nullable: true, format: 'fix_float' });
const ts = (name: string, nullable = true): ColumnSpec => ({ name, type: { ...UTC_TS }, nullable, format: 'fix_utc_timestamp' });
const date = (name: string): ColumnSpec => ({ name, type: 'date', nullable: true, format: 'fix_local_mkt_date' });
const flag = (name: string): ColumnSpec => ({ name, type: 'boolean', nullable: false });

/** Header and integrity columns shared by order and session events. */
export const FIX_HEADER_COLUMNS: ColumnSpec[] = [
  str('begin_string', false),
  str('msg_type', false),
  { name: 'msg_seq_num', type: 'int64', nullable: true },
  str('sender_comp_id'),
  str('target_comp_id'),
  ts('sending_time'),
  str('poss_dup_flag'),
  str('poss_resend'),
  ts('orig_sending_time'),
  flag('body_length_ok'),
  flag('checksum_ok'),
  flag('checksum_present'),
  /** Tags repeated outside a repeating group, comma-separated; null when none. */
  str('duplicate_tags'),
  /** Repeating-group problems (count differs from the instances, member before the first field), '; '-separated; null when none. */
  str('group_errors'),
  /** Every tag=value of the message in order, as JSON: [[tag, "value"], ...]. */
  str('fields', false),
];

/** fix_order_events: one row per order-related message. tag → column. */
export const ORDER_EVENT_FIELDS: ReadonlyArray<readonly [number, ColumnSpec]> = [
  [11, str('cl_ord_id')],
  [41, str('orig_cl_ord_id')],
  [37, str('order_id')],
  [198, str('secondary_order_id')],
  [17, str('exec_id')],
  [19, str('exec_ref_id')],
  [20, str('exec_trans_type')],
  [150, str('exec_type')],
  [39, str('ord_status')],
  [54, str('side')],
  [55, str('symbol')],
  [48, str('security_id')],
  [22, str('security_id_source')],
  [38, qty('order_qty')],
  [40, str('ord_type')],
  [44, px('price')],
  [59, str('time_in_force')],
  [32, qty('last_qty')],
  [31, px('last_px')],
  [14, qty('cum_qty')],
  [151, qty('leaves_qty')],
  [6, px('avg_px')],
  [15, str('currency')],
  [1, str('account')],
  [30, str('last_mkt')],
  [75, date('trade_date')],
  [64, date('settl_date')],
  [60, ts('transact_time')],
  [58, str('text')],
  [103, str('ord_rej_reason')],
  [102, str('cxl_rej_reason')],
  [434, str('cxl_rej_response_to')],
  [571, str('trade_report_id')],
  [880, str('trd_match_id')],
];

export const LIFECYCLE_EVENTS = [
  'new_order', 'cancel_request', 'replace_request', 'status_request', 'ack', 'partial_fill', 'fill',
  'trade', 'trade_cancel', 'trade_correct', 'canceled', 'replaced', 'pending_cancel', 'pending_replace',
  'rejected', 'done_for_day', 'expired', 'restated', 'order_status', 'cancel_reject', 'dont_know_trade',
  'trade_capture', 'other',
] as const;
export type LifecycleEvent = (typeof LIFECYCLE_EVENTS)[number];

export const ORDER_EVENT_COLUMNS: ColumnSpec[] = [
  ...FIX_HEADER_COLUMNS.slice(0, 9),
  ...ORDER_EVENT_FIELDS.map(([, c]) => c),
  { name: 'lifecycle_event', type: { kind: 'enum', values: [...LIFECYCLE_EVENTS] }, nullable: false },
  ...FIX_HEADER_COLUMNS.slice(9),
];

/** fix_session_events: A, 0, 1, 2, 3, 4, 5, j. tag → column. */
export const SESSION_EVENT_FIELDS: ReadonlyArray<readonly [number, ColumnSpec]> = [
  [45, { name: 'ref_seq_num', type: 'int64', nullable: true }],
  [372, str('ref_msg_type')],
  [371, { name: 'ref_tag_id', type: 'int64', nullable: true }],
  [373, str('session_reject_reason')],
  [380, str('business_reject_reason')],
  [7, { name: 'begin_seq_no', type: 'int64', nullable: true }],
  [16, { name: 'end_seq_no', type: 'int64', nullable: true }],
  [36, { name: 'new_seq_no', type: 'int64', nullable: true }],
  [123, str('gap_fill_flag')],
  [112, str('test_req_id')],
  [141, str('reset_seq_num_flag')],
  [108, { name: 'heart_bt_int', type: 'int64', nullable: true }],
  [58, str('text')],
];

export const SESSION_EVENT_COLUMNS: ColumnSpec[] = [
  ...FIX_HEADER_COLUMNS.slice(0, 9),
  ...SESSION_EVENT_FIELDS.map(([, c]) => c),
  ...FIX_HEADER_COLUMNS.slice(9),
];

export const FIX_OUTPUTS = {
  orderEvents: 'fix_order_events',
  sessionEvents: 'fix_session_events',
  parseErrors: 'fix_parse_errors',
} as const;
