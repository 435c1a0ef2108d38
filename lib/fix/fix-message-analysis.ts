import { GROUP_TABLES, GROUP_DEFINITIONS, MAX_GROUP_TAG } from './fix-groups';
import { parseDigits, type FixScanner } from './fix-scanner';

// Per-message structure on top of the scanner's field arrays: repeating groups (instances
// counted against their NumInGroup value, members before the group's first field noticed),
// tags repeated outside any group, and where the named tags (row columns) first occur.
// Tables are stamped with a message generation so nothing is cleared or allocated per message.

// Imported tables copied into module constants: the hot loop must not go through import bindings.
const { groupByCountTag, memberOf, delimiterOf } = GROUP_TABLES;
const MAX_GROUP = MAX_GROUP_TAG;
const digitsOf = parseDigits;
const TABLE_SIZE = 65536;
const MAX_DEPTH = 16;

/**
 * tag → generation of the message in which it was last seen outside groups (TOP_GEN) and last
 * reported as repeated (DUP_GEN). Module constants (a known length: no bounds checks in the
 * loop), shared by every analysis: analyze() runs start to end synchronously and each call
 * takes a fresh generation, so a stamp left by another instance never matches.
 */
const TOP_GEN = new Int32Array(TABLE_SIZE);
const DUP_GEN = new Int32Array(TABLE_SIZE);
let generation = 0;

function nextGeneration(): number {
  if (generation >= 0x3fffffff) {
    // Wrap-around (after ~10^9 messages in one process): forget every stamp.
    TOP_GEN.fill(0);
    DUP_GEN.fill(0);
    generation = 0;
  }
  return ++generation;
}

/** Named tags (row columns) are all below this; their first index is kept in a slot table. */
const NAMED_TAG_LIMIT = 1024;

export class FixMessageAnalysis {
  /** Tags repeated outside repeating groups, in order of first repetition. */
  duplicateTags: number[] = [];
  /** Group problems, e.g. '386:count 3, found 2', '78:80 before 79'. */
  groupErrors: string[] = [];

  /** Tags ≥ TABLE_SIZE (rare) seen outside groups in the current message. */
  private bigTop = new Set<number>();

  /** tag → slot + 1 for the named tags (0: not named); read-only for callers. */
  readonly slotOf = new Int16Array(NAMED_TAG_LIMIT);
  /** slot → field index of the tag's first occurrence outside groups, else inside one; -1 when absent. */
  readonly slotIndex: Int32Array;

  /** namedTags: the tags read through named() for every message (the row's columns). */
  constructor(namedTags: readonly number[] = []) {
    namedTags.forEach((t, i) => {
      if (t >= NAMED_TAG_LIMIT) throw new Error(`named tag ${t} ≥ ${NAMED_TAG_LIMIT}`);
      this.slotOf[t] = i + 1;
    });
    this.slotIndex = new Int32Array(namedTags.length + 1).fill(-1);
    this.slotsSet = new Int32Array(namedTags.length + 1);
  }

  /** Slots filled for the current message, each once (reset at the next analyze instead of clearing all). */
  readonly slotsSet: Int32Array;
  slotsSetCount = 0;

  /** Field index of a named tag (see constructor), filled during analyze; -1 when absent or not named. */
  named(tag: number): number {
    return tag < NAMED_TAG_LIMIT ? this.slotIndex[this.slotOf[tag]] : -1;
  }

  private readonly stackGroup = new Int32Array(MAX_DEPTH);
  private readonly stackCount = new Int32Array(MAX_DEPTH);
  private readonly stackFound = new Int32Array(MAX_DEPTH);

  analyze(s: FixScanner): void {
    const gen = nextGeneration();
    if (this.duplicateTags.length) this.duplicateTags = [];
    if (this.groupErrors.length) this.groupErrors = [];
    if (this.bigTop.size) this.bigTop.clear();
    const tags = s.tags;
    const n = s.nFields;
    const slotOf = this.slotOf;
    const slotIndex = this.slotIndex;
    const slotsSet = this.slotsSet;
    for (let k = 0; k < this.slotsSetCount; k++) slotIndex[slotsSet[k]] = -1;
    let slotsSetCount = 0;
    let depth = 0;
    // Tables in locals: the loop's calls (rare: errors, group ends) would otherwise force
    // reloads from `this` on every field.
    const topGen = TOP_GEN;
    const dupGen = DUP_GEN;
    const stackGroup = this.stackGroup;
    const stackCount = this.stackCount;
    const stackFound = this.stackFound;
    const valueStart = s.valueStart;
    const valueEnd = s.valueEnd;
    const buf = s.buf;
    for (let k = 0; k < n; k++) {
      const t = tags[k];
      while (depth > 0) {
        const g = stackGroup[depth - 1];
        if (t === delimiterOf[g]) {
          stackFound[depth - 1]++;
          break;
        }
        if (t < MAX_GROUP && memberOf[g][t] === 1) {
          if (stackFound[depth - 1] === 0) {
            this.groupErrors.push(`${GROUP_DEFINITIONS[g].countTag}:${t} before ${delimiterOf[g]}`);
          }
          break;
        }
        this.closeGroup(--depth);
      }
      if (t < TABLE_SIZE) {
        const slot = t < NAMED_TAG_LIMIT ? slotOf[t] : 0;
        if (depth === 0) {
          if (topGen[t] !== gen) {
            topGen[t] = gen;
            if (slot !== 0) {
              if (slotIndex[slot] < 0) slotsSet[slotsSetCount++] = slot;
              slotIndex[slot] = k;
            }
          } else if (dupGen[t] !== gen) {
            dupGen[t] = gen;
            this.duplicateTags.push(t);
          }
        } else if (slot !== 0 && slotIndex[slot] < 0) {
          slotIndex[slot] = k;
          slotsSet[slotsSetCount++] = slot;
        }
      } else {
        if (depth === 0) {
          if (!this.bigTop.has(t)) this.bigTop.add(t);
          else if (!this.duplicateTags.includes(t)) this.duplicateTags.push(t);
        }
      }
      if (t < MAX_GROUP && groupByCountTag[t] !== 0) {
        if (depth < MAX_DEPTH) {
          stackGroup[depth] = groupByCountTag[t] - 1;
          stackCount[depth] = digitsOf(buf, valueStart[k], valueEnd[k]);
          stackFound[depth] = 0;
          depth++;
        }
      }
    }
    while (depth > 0) this.closeGroup(--depth);
    this.slotsSetCount = slotsSetCount;
  }

  private closeGroup(level: number): void {
    const declared = this.stackCount[level];
    const found = this.stackFound[level];
    if (declared !== found) {
      const countTag = GROUP_DEFINITIONS[this.stackGroup[level]].countTag;
      this.groupErrors.push(declared < 0 ? `${countTag}:count not a number, found ${found}` : `${countTag}:count ${declared}, found ${found}`);
    }
  }
}
