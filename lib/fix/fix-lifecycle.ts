import type { LifecycleEvent } from './fix-output-columns';
import { isFixDecimal, isZeroDecimal } from './fix-decimal';

// One vocabulary of order lifecycle events across FIX versions:
// - 4.0/4.1/4.2 ExecutionReports say "this is a fill" with ExecTransType (20) = 0 and
//   ExecType (150) = 1 / 2 (4.0 has no 150: OrdStatus 39 says it), and busts / corrections
//   with 20 = 1 / 2;
// - 4.3+ say it with 150 = F (trade), G (trade correct), H (trade cancel), I (order status).
// Both land on the same events, so break detection never looks at the version.

const BY_MSG_TYPE: Record<string, LifecycleEvent> = {
  D: 'new_order', AB: 'new_order', E: 'new_order', s: 'new_order',
  F: 'cancel_request', u: 'cancel_request',
  G: 'replace_request', AC: 'replace_request', t: 'replace_request',
  H: 'status_request',
  '9': 'cancel_reject',
  Q: 'dont_know_trade',
  AE: 'trade_capture',
};

/** ExecType (150) or OrdStatus (39) value → event, for values that do not depend on anything else. */
const BY_EXEC_TYPE: Record<string, LifecycleEvent> = {
  '0': 'ack', '3': 'done_for_day', '4': 'canceled', '5': 'replaced', '6': 'pending_cancel',
  '8': 'rejected', C: 'expired', D: 'restated', E: 'pending_replace',
  G: 'trade_correct', H: 'trade_cancel', I: 'order_status',
};

/** Reads a tag's value in the message (first occurrence outside groups, else inside one), or null. */
export interface TagReader {
  tagValue(tag: number): string | null;
}

// Module constants: imported bindings can compile to getters on the per-message path.
const isDecimal = isFixDecimal;
const isZero = isZeroDecimal;

function fillEvent(ordStatus: string | null, leaves: string | null): LifecycleEvent {
  if (ordStatus === '2') return 'fill';
  if (ordStatus === '1') return 'partial_fill';
  if (leaves !== null && isDecimal(leaves)) return isZero(leaves) ? 'fill' : 'partial_fill';
  return 'trade';
}

function executionReportEvent(transType: string | null, execType: string | null, ordStatus: string | null, leaves: string | null): LifecycleEvent {
  if (transType === '1') return 'trade_cancel';
  if (transType === '2') return 'trade_correct';
  if (transType === '3') return 'order_status';
  if (execType !== null) {
    if (execType === '1') return 'partial_fill';
    if (execType === '2') return 'fill';
    if (execType === 'F') return fillEvent(ordStatus, leaves);
    return BY_EXEC_TYPE[execType] ?? 'other';
  }
  // FIX 4.0: no ExecType; OrdStatus carries the state.
  if (ordStatus === null) return 'other';
  if (ordStatus === '1') return 'partial_fill';
  if (ordStatus === '2') return 'fill';
  return BY_EXEC_TYPE[ordStatus] ?? 'other';
}

/**
 * The lifecycle event of an order-related message from the values it depends on (null when
 * absent): ExecTransType (20), ExecType (150), OrdStatus (39), LeavesQty (151). The row
 * builder passes the values it already holds for its columns.
 */
export function lifecycleEventOf(
  msgType: string,
  execTransType: string | null,
  execType: string | null,
  ordStatus: string | null,
  leavesQty: string | null,
): LifecycleEvent {
  if (msgType === '8') return executionReportEvent(execTransType, execType, ordStatus, leavesQty);
  return BY_MSG_TYPE[msgType] ?? 'other';
}

/** The lifecycle event of an order-related message. */
export function lifecycleEvent(msgType: string, get: TagReader): LifecycleEvent {
  if (msgType === '8') return executionReportEvent(get.tagValue(20), get.tagValue(150), get.tagValue(39), get.tagValue(151));
  return BY_MSG_TYPE[msgType] ?? 'other';
}

/** Session-level message types (fix_session_events). */
export const SESSION_MSG_TYPES: ReadonlySet<string> = new Set(['A', '0', '1', '2', '3', '4', '5', 'j']);

/** Order-related message types that go to fix_order_events even without 11, 37 or 17. */
export const ORDER_MSG_TYPES: ReadonlySet<string> = new Set(['D', 'F', 'G', 'H', '8', '9', 'Q', 'AE', 'AB', 'AC', 'E', 's', 't', 'u']);
