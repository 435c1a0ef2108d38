// Repeating groups and length-prefixed data fields the parser understands.
// A group is announced by its NumInGroup tag; each instance starts with the delimiter tag
// (the group's first field); a tag that is not a member ends the group. Member lists are the
// union over the messages and versions that use the group, because a log reader must accept
// every variant (a session engine would check them per message type).

export interface GroupDefinition {
  /** The NumInGroup tag announcing the group. */
  countTag: number;
  /** The first field of every instance. */
  delimiterTag: number;
  /** Every tag that may appear inside an instance, the delimiter and nested count tags included. */
  members: readonly number[];
}

const PARTY_SUB_IDS: GroupDefinition = { countTag: 802, delimiterTag: 523, members: [523, 803] };
const PARTIES: GroupDefinition = { countTag: 453, delimiterTag: 448, members: [448, 447, 452, 802] };
const NESTED_PARTY_SUB_IDS: GroupDefinition = { countTag: 804, delimiterTag: 545, members: [545, 805] };
const NESTED_PARTIES: GroupDefinition = { countTag: 539, delimiterTag: 524, members: [524, 525, 538, 804] };
const CONTRA_BROKERS: GroupDefinition = {
  countTag: 382,
  delimiterTag: 375,
  members: [375, 337, 437, 438, 655],
};
const SECURITY_ALT_IDS: GroupDefinition = { countTag: 454, delimiterTag: 455, members: [455, 456] };
const ALLOCS: GroupDefinition = {
  countTag: 78,
  delimiterTag: 79,
  // 79 AllocAccount, 661 AllocAcctIDSource, 736 AllocSettlCurrency, 467 IndividualAllocID,
  // 539 NoNestedPartyIDs, 80 AllocQty (AllocShares before 4.4), 366 AllocPrice
  members: [79, 661, 736, 467, 539, 80, 366],
};
const TRADING_SESSIONS: GroupDefinition = { countTag: 386, delimiterTag: 336, members: [336, 625] };
const MISC_FEES: GroupDefinition = { countTag: 136, delimiterTag: 137, members: [137, 138, 139, 891] };
const STIPULATIONS: GroupDefinition = { countTag: 232, delimiterTag: 233, members: [233, 234] };
const CONT_AMTS: GroupDefinition = { countTag: 518, delimiterTag: 519, members: [519, 520, 521] };
const LEG_STIPULATIONS: GroupDefinition = { countTag: 683, delimiterTag: 688, members: [688, 689] };
const LEG_SECURITY_ALT_IDS: GroupDefinition = { countTag: 604, delimiterTag: 605, members: [605, 606] };
const LEGS: GroupDefinition = {
  countTag: 555,
  delimiterTag: 600,
  members: [
    600, 601, 602, 603, 604, 607, 608, 609, 610, 611, 248, 249, 250, 251, 252, 253, 257, 599, 596, 597,
    598, 254, 612, 942, 613, 614, 615, 616, 617, 618, 619, 620, 621, 622, 623, 624, 556, 740, 739, 955,
    956, 687, 690, 683, 564, 565, 539, 654, 566, 587, 588, 637,
  ],
};
const SIDES: GroupDefinition = {
  countTag: 552,
  delimiterTag: 54,
  members: [
    54, 37, 198, 11, 526, 66, 453, 1, 660, 581, 81, 575, 576, 578, 579, 376, 377, 528, 529, 582, 40, 18,
    483, 336, 625, 943, 12, 13, 479, 497, 381, 157, 230, 158, 159, 738, 920, 921, 922, 238, 237, 118, 119,
    120, 155, 156, 77, 58, 354, 355, 752, 518, 232, 136, 825, 826, 591, 70, 78, 38, 152, 516, 468, 469,
    854,
  ],
};

const TRD_REG_TIMESTAMPS: GroupDefinition = { countTag: 768, delimiterTag: 769, members: [769, 770, 771] };
const RELATED_SYMBOLS: GroupDefinition = {
  countTag: 146,
  delimiterTag: 55,
  members: [55, 65, 48, 22, 454, 460, 461, 167, 200, 541, 224, 225, 207, 106, 107, 555, 711, 15, 54, 38, 40, 44, 64, 126, 60, 1],
};
const ORDERS: GroupDefinition = {
  countTag: 73,
  delimiterTag: 11,
  members: [11, 37, 198, 526, 66, 38, 67, 583, 160, 453, 229, 75, 1, 660, 581, 589, 590, 70, 591, 78, 63, 64, 21, 18, 110, 111, 100, 386, 81, 55, 65, 48, 22, 454, 54, 40, 44, 99, 15, 59, 168, 126, 528, 529, 58, 354, 355, 77, 203, 210, 211],
};

/** The groups the parser knows, by NumInGroup tag. */
export const GROUP_DEFINITIONS: readonly GroupDefinition[] = [
  CONTRA_BROKERS, PARTIES, PARTY_SUB_IDS, NESTED_PARTIES, NESTED_PARTY_SUB_IDS, SIDES, ALLOCS, LEGS,
  SECURITY_ALT_IDS, TRADING_SESSIONS, MISC_FEES, STIPULATIONS, CONT_AMTS, LEG_STIPULATIONS,
  LEG_SECURITY_ALT_IDS, TRD_REG_TIMESTAMPS, RELATED_SYMBOLS, ORDERS,
];

/**
 * Length tag → data tag. The data field that follows its length field is read as exactly that
 * many bytes, so it may contain the delimiter (SOH) or line breaks.
 */
export const DATA_FIELD_LENGTH_TAGS: ReadonlyMap<number, number> = new Map([
  [90, 91], // SecureDataLen → SecureData
  [93, 89], // SignatureLength → Signature
  [95, 96], // RawDataLength → RawData
  [212, 213], // XmlDataLen → XmlData
  [348, 349], // EncodedIssuerLen → EncodedIssuer
  [350, 351], // EncodedSecurityDescLen → EncodedSecurityDesc
  [352, 353], // EncodedListExecInstLen → EncodedListExecInst
  [354, 355], // EncodedTextLen → EncodedText
  [356, 357], // EncodedSubjectLen → EncodedSubject
  [358, 359], // EncodedHeadlineLen → EncodedHeadline
  [360, 361], // EncodedAllocTextLen → EncodedAllocText
  [362, 363], // EncodedUnderlyingIssuerLen → EncodedUnderlyingIssuer
  [364, 365], // EncodedUnderlyingSecurityDescLen → EncodedUnderlyingSecurityDesc
  [445, 446], // EncodedListStatusTextLen → EncodedListStatusText
  [618, 619], // EncodedLegIssuerLen → EncodedLegIssuer
  [621, 622], // EncodedLegSecurityDescLen → EncodedLegSecurityDesc
]);

/** Tables indexed by tag for the per-field hot path (tags ≥ MAX_GROUP_TAG are never group tags). */
export const MAX_GROUP_TAG = 2048;

export interface GroupTables {
  /** countTag → index into GROUP_DEFINITIONS + 1 (0: not a group count tag). */
  groupByCountTag: Uint8Array;
  /** Per group: membership by tag. */
  memberOf: Uint8Array[];
  delimiterOf: Int32Array;
}

function buildGroupTables(): GroupTables {
  const groupByCountTag = new Uint8Array(MAX_GROUP_TAG);
  const memberOf: Uint8Array[] = [];
  const delimiterOf = new Int32Array(GROUP_DEFINITIONS.length);
  GROUP_DEFINITIONS.forEach((g, i) => {
    groupByCountTag[g.countTag] = i + 1;
    const members = new Uint8Array(MAX_GROUP_TAG);
    for (const m of g.members) members[m] = 1;
    memberOf.push(members);
    delimiterOf[i] = g.delimiterTag;
  });
  return { groupByCountTag, memberOf, delimiterOf };
}

export const GROUP_TABLES: GroupTables = buildGroupTables();
