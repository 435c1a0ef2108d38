// The workbench's own FIX tag dictionary: names and enum meanings for the tags the parser
// names, the drill-down shows, or the repeating groups use. Written for this product (names
// follow the FIX specification; where versions renamed a tag, the FIX 4.4 name is used).
// Tests compare it with the QuickFIX data dictionaries; the product never reads those.

const TAG_NAMES: Record<number, string> = {
  1: 'Account', 6: 'AvgPx', 7: 'BeginSeqNo', 8: 'BeginString', 9: 'BodyLength', 10: 'CheckSum',
  11: 'ClOrdID', 12: 'Commission', 13: 'CommType', 14: 'CumQty', 15: 'Currency', 16: 'EndSeqNo',
  17: 'ExecID', 18: 'ExecInst', 19: 'ExecRefID', 20: 'ExecTransType', 21: 'HandlInst',
  22: 'SecurityIDSource', 30: 'LastMkt', 31: 'LastPx', 32: 'LastQty', 34: 'MsgSeqNum',
  35: 'MsgType', 36: 'NewSeqNo', 37: 'OrderID', 38: 'OrderQty', 39: 'OrdStatus', 40: 'OrdType',
  41: 'OrigClOrdID', 43: 'PossDupFlag', 44: 'Price', 45: 'RefSeqNum', 48: 'SecurityID',
  49: 'SenderCompID', 50: 'SenderSubID', 52: 'SendingTime', 54: 'Side', 55: 'Symbol',
  56: 'TargetCompID', 57: 'TargetSubID', 58: 'Text', 59: 'TimeInForce', 60: 'TransactTime',
  63: 'SettlType', 64: 'SettlDate', 66: 'ListID', 70: 'AllocID', 73: 'NoOrders', 75: 'TradeDate',
  78: 'NoAllocs', 79: 'AllocAccount', 80: 'AllocQty', 89: 'Signature', 90: 'SecureDataLen',
  91: 'SecureData', 93: 'SignatureLength', 95: 'RawDataLength', 96: 'RawData', 97: 'PossResend',
  98: 'EncryptMethod', 99: 'StopPx', 100: 'ExDestination', 102: 'CxlRejReason',
  103: 'OrdRejReason', 108: 'HeartBtInt', 112: 'TestReqID', 115: 'OnBehalfOfCompID',
  122: 'OrigSendingTime', 123: 'GapFillFlag', 126: 'ExpireTime', 128: 'DeliverToCompID',
  136: 'NoMiscFees', 137: 'MiscFeeAmt', 138: 'MiscFeeCurr', 139: 'MiscFeeType', 141: 'ResetSeqNumFlag',
  146: 'NoRelatedSym', 150: 'ExecType', 151: 'LeavesQty', 167: 'SecurityType', 198: 'SecondaryOrderID',
  212: 'XmlDataLen', 213: 'XmlData', 232: 'NoStipulations', 233: 'StipulationType',
  234: 'StipulationValue', 336: 'TradingSessionID', 337: 'ContraTrader', 347: 'MessageEncoding',
  354: 'EncodedTextLen', 355: 'EncodedText', 369: 'LastMsgSeqNumProcessed', 371: 'RefTagID',
  372: 'RefMsgType', 373: 'SessionRejectReason', 375: 'ContraBroker', 380: 'BusinessRejectReason',
  382: 'NoContraBrokers', 386: 'NoTradingSessions', 434: 'CxlRejResponseTo', 437: 'ContraTradeQty',
  438: 'ContraTradeTime', 447: 'PartyIDSource', 448: 'PartyID', 452: 'PartyRole', 453: 'NoPartyIDs',
  454: 'NoSecurityAltID', 455: 'SecurityAltID', 456: 'SecurityAltIDSource', 467: 'IndividualAllocID',
  487: 'TradeReportTransType', 523: 'PartySubID', 524: 'NestedPartyID', 525: 'NestedPartyIDSource',
  526: 'SecondaryClOrdID', 528: 'OrderCapacity', 538: 'NestedPartyRole', 539: 'NoNestedPartyIDs',
  545: 'NestedPartySubID', 552: 'NoSides', 555: 'NoLegs', 556: 'LegCurrency', 564: 'LegPositionEffect',
  566: 'LegPrice', 570: 'PreviouslyReported', 571: 'TradeReportID', 600: 'LegSymbol',
  602: 'LegSecurityID', 603: 'LegSecurityIDSource', 623: 'LegRatioQty', 624: 'LegSide',
  654: 'LegRefID', 655: 'ContraLegRefID', 661: 'AllocAcctIDSource', 687: 'LegQty',
  736: 'AllocSettlCurrency', 802: 'NoPartySubIDs', 803: 'PartySubIDType', 804: 'NoNestedPartySubIDs',
  805: 'NestedPartySubIDType', 856: 'TradeReportType', 880: 'TrdMatchID', 1128: 'ApplVerID',
  1137: 'DefaultApplVerID',
};

const ENUMS: Record<number, Record<string, string>> = {
  20: { '0': 'New', '1': 'Cancel', '2': 'Correct', '3': 'Status' },
  21: { '1': 'Automated execution, no intervention', '2': 'Automated execution, intervention OK', '3': 'Manual order' },
  22: {
    '1': 'CUSIP', '2': 'SEDOL', '3': 'QUIK', '4': 'ISIN', '5': 'RIC', '6': 'ISO currency code',
    '7': 'ISO country code', '8': 'Exchange symbol', '9': 'Consolidated Tape Association',
  },
  39: {
    '0': 'New', '1': 'Partially filled', '2': 'Filled', '3': 'Done for day', '4': 'Canceled',
    '5': 'Replaced', '6': 'Pending cancel', '7': 'Stopped', '8': 'Rejected', '9': 'Suspended',
    A: 'Pending new', B: 'Calculated', C: 'Expired', D: 'Accepted for bidding', E: 'Pending replace',
  },
  40: {
    '1': 'Market', '2': 'Limit', '3': 'Stop', '4': 'Stop limit', '5': 'Market on close',
    '6': 'With or without', '7': 'Limit or better', '8': 'Limit with or without', '9': 'On basis',
    D: 'Previously quoted', E: 'Previously indicated', G: 'Forex swap', I: 'Funari', J: 'Market if touched',
    K: 'Market with leftover as limit', P: 'Pegged',
  },
  43: { Y: 'Possible duplicate', N: 'Original transmission' },
  54: {
    '1': 'Buy', '2': 'Sell', '3': 'Buy minus', '4': 'Sell plus', '5': 'Sell short',
    '6': 'Sell short exempt', '7': 'Undisclosed', '8': 'Cross', '9': 'Cross short',
  },
  59: {
    '0': 'Day', '1': 'Good till cancel', '2': 'At the opening', '3': 'Immediate or cancel',
    '4': 'Fill or kill', '5': 'Good till crossing', '6': 'Good till date', '7': 'At the close',
  },
  97: { Y: 'Possible resend', N: 'Original transmission' },
  102: {
    '0': 'Too late to cancel', '1': 'Unknown order', '2': 'Broker option',
    '3': 'Order already in pending cancel or pending replace status', '4': 'Unable to process order mass cancel request',
    '5': 'OrigOrdModTime did not match last TransactTime', '6': 'Duplicate ClOrdID received', '99': 'Other',
  },
  103: {
    '0': 'Broker option', '1': 'Unknown symbol', '2': 'Exchange closed', '3': 'Order exceeds limit',
    '4': 'Too late to enter', '5': 'Unknown order', '6': 'Duplicate order', '7': 'Duplicate of a verbally communicated order',
    '8': 'Stale order', '9': 'Trade along required', '10': 'Invalid investor ID', '11': 'Unsupported order characteristic',
    '13': 'Incorrect quantity', '14': 'Incorrect allocated quantity', '15': 'Unknown account',
    '99': 'Other',
  },
  123: { Y: 'Gap fill', N: 'Sequence reset' },
  141: { Y: 'Reset sequence numbers', N: 'Keep sequence numbers' },
  150: {
    '0': 'New', '1': 'Partial fill', '2': 'Fill', '3': 'Done for day', '4': 'Canceled', '5': 'Replaced',
    '6': 'Pending cancel', '7': 'Stopped', '8': 'Rejected', '9': 'Suspended', A: 'Pending new',
    B: 'Calculated', C: 'Expired', D: 'Restated', E: 'Pending replace', F: 'Trade', G: 'Trade correct',
    H: 'Trade cancel', I: 'Order status',
  },
  373: {
    '0': 'Invalid tag number', '1': 'Required tag missing', '2': 'Tag not defined for this message type',
    '3': 'Undefined tag', '4': 'Tag specified without a value', '5': 'Value is incorrect (out of range) for this tag',
    '6': 'Incorrect data format for value', '7': 'Decryption problem', '8': 'Signature problem',
    '9': 'CompID problem', '10': 'SendingTime accuracy problem', '11': 'Invalid MsgType',
    '12': 'XML validation error', '13': 'Tag appears more than once', '14': 'Tag specified out of required order',
    '15': 'Repeating group fields out of order', '16': 'Incorrect NumInGroup count for repeating group',
    '17': 'Non-data value includes field delimiter (SOH)', '99': 'Other',
  },
  380: {
    '0': 'Other', '1': 'Unknown ID', '2': 'Unknown security', '3': 'Unsupported message type',
    '4': 'Application not available', '5': 'Conditionally required field missing', '6': 'Not authorized',
    '7': 'DeliverTo firm not available at this time',
  },
  434: { '1': 'Order cancel request', '2': 'Order cancel/replace request' },
  447: {
    B: 'BIC', C: 'Generally accepted market participant identifier', D: 'Proprietary / custom code',
    E: 'ISO country code', F: 'Settlement entity location', G: 'MIC', H: 'CSD participant / member code',
  },
  452: {
    '1': 'Executing firm', '2': 'Broker of credit', '3': 'Client ID', '4': 'Clearing firm', '5': 'Investor ID',
    '6': 'Introducing firm', '7': 'Entering firm', '8': 'Locate / lending firm', '9': 'Fund manager client ID',
    '10': 'Settlement location', '11': 'Order origination trader', '12': 'Executing trader',
    '13': 'Order origination firm', '14': 'Giveup clearing firm', '15': 'Correspondant clearing firm',
    '16': 'Executing system', '17': 'Contra firm', '18': 'Contra clearing firm', '24': 'Customer account',
  },
  570: { Y: 'Previously reported', N: 'Not reported to counterparty' },
};

const MSG_TYPES: Record<string, string> = {
  '0': 'Heartbeat', '1': 'TestRequest', '2': 'ResendRequest', '3': 'Reject', '4': 'SequenceReset',
  '5': 'Logout', '6': 'IOI', '7': 'Advertisement', '8': 'ExecutionReport',
  '9': 'OrderCancelReject', A: 'Logon', B: 'News', C: 'Email', D: 'NewOrderSingle', E: 'NewOrderList',
  F: 'OrderCancelRequest', G: 'OrderCancelReplaceRequest', H: 'OrderStatusRequest', J: 'AllocationInstruction',
  K: 'ListCancelRequest', L: 'ListExecute', M: 'ListStatusRequest', N: 'ListStatus', P: 'AllocationInstructionAck',
  Q: 'DontKnowTrade', R: 'QuoteRequest', S: 'Quote', T: 'SettlementInstructions', V: 'MarketDataRequest',
  W: 'MarketDataSnapshotFullRefresh', X: 'MarketDataIncrementalRefresh', Y: 'MarketDataRequestReject',
  Z: 'QuoteCancel', j: 'BusinessMessageReject', n: 'XMLnonFIX', q: 'OrderMassCancelRequest',
  r: 'OrderMassCancelReport', s: 'NewOrderCross', t: 'CrossOrderCancelReplaceRequest', u: 'CrossOrderCancelRequest',
  AB: 'NewOrderMultileg', AC: 'MultilegOrderCancelReplace', AD: 'TradeCaptureReportRequest',
  AE: 'TradeCaptureReport', AF: 'OrderMassStatusRequest', AR: 'TradeCaptureReportAck', BE: 'UserRequest',
  BF: 'UserResponse',
};

/** The tags the dictionary names (for tests and for the drill-down's legend). */
export const DICTIONARY_TAGS: readonly number[] = Object.keys(TAG_NAMES).map(Number);
/** Tags with enum meanings. */
export const DICTIONARY_ENUM_TAGS: readonly number[] = Object.keys(ENUMS).map(Number);

/** The FIX name of a tag, or null when the dictionary does not cover it. */
export function tagName(tag: number): string | null {
  return TAG_NAMES[tag] ?? null;
}

/** What an enum value means for a tag (e.g. 39, '2' → 'Filled'; 35 → message type names), or null. */
export function enumMeaning(tag: number, value: string): string | null {
  if (tag === 35) return msgTypeName(value);
  const values = ENUMS[tag];
  if (!values || !Object.prototype.hasOwnProperty.call(values, value)) return null;
  return values[value];
}

/** The name of a MsgType (35) value, e.g. 'D' → 'NewOrderSingle', or null. */
export function msgTypeName(type: string): string | null {
  return Object.prototype.hasOwnProperty.call(MSG_TYPES, type) ? MSG_TYPES[type] : null;
}

/** Every enum value the dictionary knows for a tag (for tests and legends). */
export function enumValues(tag: number): Readonly<Record<string, string>> | null {
  if (tag === 35) return MSG_TYPES;
  return ENUMS[tag] ?? null;
}
