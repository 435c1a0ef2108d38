// The break classes (exact names from issue 5) with the FIX reference each rule rests on and how
// it treats known deviations of real engines. The SQL that detects them lives in db/breaks;
// lib/breaks/rules.md is the long-form version of this table for analysts.

export const LIFECYCLE_CLASSES = [
  'overfill',
  'cum_qty_mismatch',
  'leaves_qty_mismatch',
  'avg_px_mismatch',
  'fill_after_terminal',
  'duplicate_exec_id',
  'orphan_execution',
  'unacknowledged_order',
  'open_at_end_of_data',
  'rejected_order',
  'cancel_rejected',
  'order_id_changed',
] as const;

export const SESSION_CLASSES = ['sequence_gap', 'duplicate_seq_num'] as const;

export const COUNTERPARTY_CLASSES = [
  'missing_in_counterparty',
  'missing_in_ours',
  'qty_mismatch',
  'price_mismatch',
  'side_mismatch',
  'symbol_mismatch',
  'account_mismatch',
  'trade_date_mismatch',
  'settl_date_mismatch',
] as const;

export type LifecycleClass = (typeof LIFECYCLE_CLASSES)[number];
export type SessionClass = (typeof SESSION_CLASSES)[number];
export type CounterpartyClass = (typeof COUNTERPARTY_CLASSES)[number];
export type BreakClass = LifecycleClass | SessionClass | CounterpartyClass;
export type BreakFamily = 'lifecycle' | 'session' | 'counterparty';

export const BREAK_CLASSES: readonly BreakClass[] = [...LIFECYCLE_CLASSES, ...SESSION_CLASSES, ...COUNTERPARTY_CLASSES];

export const BREAK_STATUSES = ['open', 'investigating', 'resolved', 'false_positive'] as const;
export type BreakStatus = (typeof BREAK_STATUSES)[number];

export function familyOf(cls: BreakClass): BreakFamily {
  if ((LIFECYCLE_CLASSES as readonly string[]).includes(cls)) return 'lifecycle';
  if ((SESSION_CLASSES as readonly string[]).includes(cls)) return 'session';
  return 'counterparty';
}

export function isBreakClass(value: string): value is BreakClass {
  return (BREAK_CLASSES as readonly string[]).includes(value);
}

export interface RuleDefinition {
  cls: BreakClass;
  /** What the analyst must explain. */
  meaning: string;
  /** Tags / messages of the FIX specification the rule reads. */
  fixReference: string;
  /** The match key the break id is hashed from (with the class). */
  key: string;
  /** How real-engine deviations are treated (empty when none are known to matter). */
  deviations: string;
}

export const RULES: Readonly<Record<BreakClass, RuleDefinition>> = {
  overfill: {
    cls: 'overfill',
    meaning: 'The order was filled beyond its quantity: CumQty (reported, or computed from surviving fills) > OrderQty.',
    fixReference: 'ExecutionReport 35=8: CumQty(14), OrderQty(38); FIX 4.4 Vol.4 "CumQty <= OrderQty".',
    key: 'session|chain_root',
    deviations:
      'OrderQty is the latest one the venue reported on an ExecutionReport (a pending replace does not count until ' +
      'it is accepted); when no report carries 38, the latest request (D/G) is used.',
  },
  cum_qty_mismatch: {
    cls: 'cum_qty_mismatch',
    meaning: 'The last reported CumQty differs from the sum of LastQty(32) of the surviving fills.',
    fixReference: 'CumQty(14) = Σ LastQty(32); busts 150=H (4.4) / 20=1 (4.2) and corrections 150=G / 20=2 via ExecRefID(19).',
    key: 'session|chain_root',
    deviations:
      'PossDup(43=Y) resends and repeated ExecIDs count once. Status-only reports (150=I, 20=3) never add fills even ' +
      'when they carry LastQty.',
  },
  leaves_qty_mismatch: {
    cls: 'leaves_qty_mismatch',
    meaning: 'The last report\'s LeavesQty is not OrderQty − CumQty (live order) or 0 (terminal order).',
    fixReference: 'LeavesQty(151) = OrderQty(38) − CumQty(14) while working; 0 when OrdStatus(39) is 2/3/4/8/C.',
    key: 'session|chain_root',
    deviations:
      'A completing fill reported as 39=1 with 151=0 (then a status report) is accepted: 151=0 with CumQty ≥ OrderQty ' +
      'is a completion whatever OrdStatus says.',
  },
  avg_px_mismatch: {
    cls: 'avg_px_mismatch',
    meaning: 'The last reported AvgPx differs from the quantity-weighted price of the surviving fills beyond tolerance.',
    fixReference: 'AvgPx(6) = Σ(LastQty(32) × LastPx(31)) / Σ LastQty.',
    key: 'session|chain_root',
    deviations:
      'Engines round AvgPx: the tolerance (absolute or relative, exact decimal) absorbs rounding. Compared exactly as ' +
      '|AvgPx × Q − Σ q·p| ≤ abs × Q or ≤ rel × Σ q·p, with no division.',
  },
  fill_after_terminal: {
    cls: 'fill_after_terminal',
    meaning: 'A surviving fill arrived after the chain reached a terminal state (filled, canceled, rejected, expired, done for day).',
    fixReference: 'OrdStatus(39) 2/3/4/8/C are terminal (FIX 4.4 Vol.4 order state changes).',
    key: 'session|chain_root|exec_id',
    deviations:
      'A fill that is later busted does not survive and is not reported (the issue\'s "fill after cancel followed by ' +
      'its bust"). A completing 39=1/151=0 fill makes the chain terminal; the status report after it is not a fill.',
  },
  duplicate_exec_id: {
    cls: 'duplicate_exec_id',
    meaning: 'The same ExecID was reported more than once with different economics, or resent without PossDupFlag.',
    fixReference: 'ExecID(17) is unique per session; resends carry PossDupFlag(43)=Y.',
    key: 'session|exec_id',
    deviations: 'ExecID "0" (used by some 4.2 engines on status reports) is not an identity and is ignored.',
  },
  orphan_execution: {
    cls: 'orphan_execution',
    meaning: 'Execution reports for a chain whose NewOrderSingle is not in the data.',
    fixReference: 'ExecutionReport ClOrdID(11)/OrigClOrdID(41)/OrderID(37) linked to no NewOrderSingle 35=D.',
    key: 'session|chain_root',
    deviations:
      'A session with no NewOrderSingle at all is read as a drop-copy session and raises no orphan breaks. A report ' +
      'without ClOrdID joins a chain through its OrderID.',
  },
  unacknowledged_order: {
    cls: 'unacknowledged_order',
    meaning: 'A NewOrderSingle never received any ExecutionReport.',
    fixReference: 'NewOrderSingle 35=D must be answered by ExecutionReport 35=8 (150=0/A or 8).',
    key: 'session|chain_root',
    deviations: '',
  },
  open_at_end_of_data: {
    cls: 'open_at_end_of_data',
    meaning: 'The order is still working when the data ends.',
    fixReference: 'Last OrdStatus(39) not in 2/3/4/8/C; TimeInForce(59).',
    key: 'session|chain_root',
    deviations:
      'GTC (59=1) and GTD (59=6) orders may legitimately stay open and are not reported. A 39=1 report with 151=0 and ' +
      'CumQty ≥ OrderQty counts as filled.',
  },
  rejected_order: {
    cls: 'rejected_order',
    meaning: 'An order (or one ClOrdID of the chain) was rejected.',
    fixReference: 'ExecutionReport OrdStatus(39)=8 or ExecType(150)=8; OrdRejReason(103).',
    key: 'session|chain_root|cl_ord_id',
    deviations: '',
  },
  cancel_rejected: {
    cls: 'cancel_rejected',
    meaning: 'A cancel or cancel/replace request was rejected.',
    fixReference: 'OrderCancelReject 35=9; CxlRejReason(102), CxlRejResponseTo(434).',
    key: 'session|chain_root|cl_ord_id',
    deviations: '',
  },
  order_id_changed: {
    cls: 'order_id_changed',
    meaning: 'The venue reported more than one OrderID for one chain.',
    fixReference: 'OrderID(37) is assigned by the venue and stays constant for the life of the order.',
    key: 'session|chain_root',
    deviations:
      'Engines that issue a new OrderID on every report (every report of the chain carries a distinct OrderID, at ' +
      'least 3 reports) follow a convention, not a break: no break. Placeholder OrderIDs "NONE", "0" and "" are ignored.',
  },
  sequence_gap: {
    cls: 'sequence_gap',
    meaning: 'MsgSeqNum numbers of one direction of a session that were never received.',
    fixReference: 'MsgSeqNum(34); Logon 35=A ResetSeqNumFlag(141)=Y; SequenceReset 35=4 GapFillFlag(123) NewSeqNo(36).',
    key: 'session|direction|epoch|from-to',
    deviations:
      'A Logon with 141=Y or MsgSeqNum 1 starts a new epoch at 1 (a daily restart is not a gap); SequenceReset-GapFill ' +
      'covers [34, 36); SequenceReset-Reset jumps to 36; numbers later received as PossDup resends close the gap. ' +
      'The first epoch starts at the first number seen (a log that starts mid-session has no gap before it).',
  },
  duplicate_seq_num: {
    cls: 'duplicate_seq_num',
    meaning: 'A MsgSeqNum repeated within one epoch of one direction without PossDupFlag=Y.',
    fixReference: 'MsgSeqNum(34), PossDupFlag(43).',
    key: 'session|direction|epoch|seq',
    deviations: 'The MsgSeqNum of a SequenceReset-Reset is ignored, as the specification says.',
  },
  missing_in_counterparty: {
    cls: 'missing_in_counterparty',
    meaning: 'One of our surviving fills has no confirmation.',
    fixReference: 'Surviving fills (ExecutionReport 150=F / 1 / 2 after busts and corrections).',
    key: 'fill_id',
    deviations: 'Only trade dates present in the confirmations are compared (a date with no confirmations file is not missing).',
  },
  missing_in_ours: {
    cls: 'missing_in_ours',
    meaning: 'A confirmation matches none of our surviving fills.',
    fixReference: 'Confirmation row vs surviving fills.',
    key: 'confirmation_id',
    deviations: 'Only trade dates present in our fills are compared.',
  },
  qty_mismatch: { cls: 'qty_mismatch', meaning: 'Matched, but quantities differ beyond tolerance.', fixReference: 'LastQty(32) vs quantity.', key: 'fill_id|confirmation_id', deviations: 'For a 1:N fuzzy match, Σ LastQty.' },
  price_mismatch: { cls: 'price_mismatch', meaning: 'Matched, but prices differ beyond tolerance.', fixReference: 'LastPx(31) vs price.', key: 'fill_id|confirmation_id', deviations: 'For a 1:N fuzzy match, the quantity-weighted price.' },
  side_mismatch: { cls: 'side_mismatch', meaning: 'Matched, but sides differ.', fixReference: 'Side(54): 1=BUY, 2=SELL, 5/6=SELL_SHORT.', key: 'fill_id|confirmation_id', deviations: '' },
  symbol_mismatch: { cls: 'symbol_mismatch', meaning: 'Matched, but symbols differ.', fixReference: 'Symbol(55).', key: 'fill_id|confirmation_id', deviations: '' },
  account_mismatch: { cls: 'account_mismatch', meaning: 'Matched, but accounts differ.', fixReference: 'Account(1).', key: 'fill_id|confirmation_id', deviations: 'Not compared when either side has no account.' },
  trade_date_mismatch: { cls: 'trade_date_mismatch', meaning: 'Matched, but trade dates differ.', fixReference: 'TradeDate(75), else the UTC date of TransactTime(60).', key: 'fill_id|confirmation_id', deviations: '' },
  settl_date_mismatch: { cls: 'settl_date_mismatch', meaning: 'Matched, but settlement dates differ.', fixReference: 'SettlDate(64).', key: 'fill_id|confirmation_id', deviations: 'Not compared when either side has no settlement date.' },
};
