import { BASE_MIX, BASE_FEATURES } from './base-scenarios';
import {
  missingInCounterparty, missingInOurs, priceMismatch, qtyMismatch, sideMismatch, tradeDateMismatch,
} from './counterparty-scenarios';
import {
  avgPxMismatch, cancelRejected, cumQtyMismatch, duplicateExecId, fillAfterTerminal, leavesQtyMismatch, openAtEndOfData,
  orphanExecution, overfill, rejectedOrder, unacknowledgedOrder,
} from './lifecycle-scenarios';
import {
  quarantineFixTransactTime, quarantinePricePrecision, quarantineSide, quarantineTradeDate,
} from './quarantine-scenarios';
import type { Scenario } from './scenario-kit';
import { duplicateSeqNum, sequenceGap } from './session-scenarios';

// The catalogue of order scenarios. Base scenarios are normal business (clean mode uses only
// them) and produce no break. Seeded scenarios are textbook cases of the rules in issue 5 /
// lib/breaks/break-classes.ts: each one produces exactly the classes in its `expected` list
// (root ClOrdID of its chain) and nothing else. Session classes (sequence_gap,
// duplicate_seq_num) and quarantine rows are recorded by the writers when the flagged message or
// row is emitted, since only then are MsgSeqNum, message index and row ordinal known.

export { BASE_MIX, BASE_FEATURES };
export type { Scenario };

/** Seeded scenarios, each placed max(1, floor(orders / SEEDED_PER_ORDERS)) times in a non-clean dataset. */
export const SEEDED: readonly Scenario[] = [
  overfill, cumQtyMismatch, leavesQtyMismatch, avgPxMismatch, fillAfterTerminal, duplicateExecId, orphanExecution,
  unacknowledgedOrder, openAtEndOfData, rejectedOrder, cancelRejected, sequenceGap, duplicateSeqNum,
  missingInCounterparty, missingInOurs, qtyMismatch, priceMismatch, sideMismatch, tradeDateMismatch,
  quarantinePricePrecision, quarantineTradeDate, quarantineSide, quarantineFixTransactTime,
];

export const SEEDED_PER_ORDERS = 250;

/** Session classes are recorded by the FIX writer at emission, not per order. */
export const SESSION_CLASSES = new Set(['sequence_gap', 'duplicate_seq_num']);

/** An impossible UTCTimestamp for a resend's TransactTime: same time of day on February 30. */
export function impossibleUtcTimestamp(fixTimestamp: string): string {
  return `${fixTimestamp.slice(0, 4)}0230${fixTimestamp.slice(8)}`;
}
