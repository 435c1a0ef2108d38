import { GROUP_DEFINITIONS } from './fix-groups';
import { ORDER_EVENT_FIELDS, SESSION_EVENT_FIELDS } from './fix-output-columns';

// Tables of the per-message analysis that the scanner does while it frames a message (one
// pass over the fields): repeating groups (instances counted against their NumInGroup value,
// members before the group's first field noticed), tags repeated outside any group, and where
// the named tags (row columns) first occur. Tables are stamped with a message generation so
// nothing is cleared or allocated per message.

/** Every tag a row column reads (header, order and session columns, lifecycle inputs). */
export const NAMED_TAGS: readonly number[] = [
  ...[35, 34, 49, 56, 52, 43, 97, 122],
  ...ORDER_EVENT_FIELDS.map(([tag]) => tag),
  ...SESSION_EVENT_FIELDS.map(([tag]) => tag).filter((t) => t !== 58),
];

/** Named tags are all below this. */
export const NAMED_TAG_LIMIT = 1024;
/** Slots are 1..NAMED_SLOTS-1 (0: not named). */
export const NAMED_SLOTS = NAMED_TAGS.length + 1;

/** tag → slot + 1 for the named tags (0: not named); the last listing of a tag wins. */
export const SLOT_OF_TAG: Int16Array = (() => {
  const t = new Int16Array(NAMED_TAG_LIMIT);
  NAMED_TAGS.forEach((tag, i) => {
    if (tag >= NAMED_TAG_LIMIT) throw new Error(`named tag ${tag} ≥ ${NAMED_TAG_LIMIT}`);
    t[tag] = i + 1;
  });
  // The scanner notes BeginString (8) and CheckSum (10) outside the generic path.
  if (t[8] !== 0 || t[10] !== 0) throw new Error('8 and 10 cannot be named tags');
  return t;
})();

/** Tags below this are tracked for duplicates in the generation tables; larger ones in a Set. */
export const GEN_TABLE_SIZE = 65536;
/** Nesting depth of repeating groups followed (deeper groups are not followed). */
export const MAX_GROUP_DEPTH = 16;

/**
 * tag → generation of the message in which it was last seen outside groups (TOP_GEN) and last
 * reported as repeated (DUP_GEN). Shared by every scanner: a message is framed start to end
 * synchronously and each takes a fresh generation, so a stamp left by another scanner never matches.
 */
export const TOP_GEN = new Int32Array(GEN_TABLE_SIZE);
export const DUP_GEN = new Int32Array(GEN_TABLE_SIZE);
let generation = 0;

/** A fresh generation for the next message. */
export function nextGeneration(): number {
  if (generation >= 0x3fffffff) {
    // Wrap-around (after ~10^9 messages in one process): forget every stamp.
    TOP_GEN.fill(0);
    DUP_GEN.fill(0);
    generation = 0;
  }
  return ++generation;
}

/** The group error of a member found before the group's first field. */
export function memberBeforeDelimiterError(group: number, tag: number): string {
  const g = GROUP_DEFINITIONS[group];
  return `${g.countTag}:${tag} before ${g.delimiterTag}`;
}

/** The group error of a count that differs from the instances found (null when they agree). */
export function groupCountError(group: number, declared: number, found: number): string | null {
  if (declared === found) return null;
  const countTag = GROUP_DEFINITIONS[group].countTag;
  return declared < 0 ? `${countTag}:count not a number, found ${found}` : `${countTag}:count ${declared}, found ${found}`;
}
