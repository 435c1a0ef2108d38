// What an order scenario plans and the session writer emits. Planning happens once per order
// (all its messages with absolute times); emission merges every order's messages in time order
// and assigns what only the session knows: MsgSeqNum, message index, confirmation row ordinal.

/** out: our OMS → the broker; in: the broker → our OMS. */
export type Direction = 'out' | 'in';

export const CONFIRMATION_COLUMNS = [
  'exec_id', 'cl_ord_id', 'order_id', 'symbol', 'side', 'quantity', 'price', 'currency', 'trade_date',
  'settl_date', 'transact_time', 'account', 'counterparty',
] as const;
export type ConfirmationColumn = (typeof CONFIRMATION_COLUMNS)[number];

export type ConfirmationRow = Record<ConfirmationColumn, string> & {
  /** Set on a row seeded to be quarantined by the confirmations contract. */
  quarantine?: { violation_type: string; column: string; scenario?: string };
};

export interface PlannedMessage {
  /** SendingTime, epoch ms. */
  at: number;
  dir: Direction;
  msgType: string;
  /** Encoded body fields (tag=value<SOH>…), everything after the standard header. */
  body: string;
  /** Byte sum of `body` when already known (for CheckSum). */
  bodySum?: number;
  /** Confirmation rows written when this message is emitted (the fill they confirm). */
  confirmations?: ConfirmationRow[];
  /** After emission, our side asks for this message again and the broker resends it with PossDup. */
  resend?: { badTransactTime: boolean };
  /** A PossDup resend of an emitted message: its MsgSeqNum and original SendingTime. */
  possDup?: { seq: number; origSendingTime: string };
  /** Skip this many MsgSeqNums before this message (a seeded sequence gap). */
  gapBefore?: number;
  /** Right after this message, the sender emits a Heartbeat reusing its MsgSeqNum (no PossDup). */
  duplicateSeqAfter?: boolean;
  /** Seeded quarantine of this message's row in a FIX output. */
  quarantine?: { output: string; violation_type: string; column: string; scenario: string };
}

export interface SeededBreak {
  class: string;
  /** Root ClOrdID of the chain (the NewOrderSingle's 11, or the orphan report's 11); null for session breaks. */
  cl_ord_id: string | null;
  /** Every ClOrdID of the chain (root first), for matching a detector that names another member. */
  chain: string[];
  /** The generator scenario that seeded it. */
  scenario: string;
  /** Session breaks: the direction's CompIDs and where the break shows. */
  session?: { sender_comp_id: string; target_comp_id: string };
  msg_seq_num?: number;
  source_row?: number;
}

export interface SeededQuarantine {
  output: string;
  violation_type: string;
  /** __cf_row_id: FIX 0-based message index; CSV 1-based data record ordinal. */
  source_row: number;
  column: string;
  scenario: string;
}
