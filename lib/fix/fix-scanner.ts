import { DATA_FIELD_LENGTH_TAGS, GROUP_TABLES, MAX_GROUP_TAG } from './fix-groups';
import {
  DUP_GEN,
  GEN_TABLE_SIZE,
  groupCountError,
  MAX_GROUP_DEPTH,
  memberBeforeDelimiterError,
  NAMED_SLOTS,
  NAMED_TAG_LIMIT,
  nextGeneration,
  SLOT_OF_TAG,
  TOP_GEN,
} from './fix-message-analysis';

// (Hot-path note: module-local constants only; imported bindings can compile to getters.)

// The byte-level framer: finds FIX messages in a stream of chunks and splits them into fields,
// computing CheckSum and BodyLength, writing the `fields` JSON and analysing repeating groups,
// duplicate tags and the named tags' positions in the same pass (a second pass over the fields
// cost ~10% of the parse). It never decodes a value and allocates nothing per field: a message
// is described by typed arrays of (tag, value start, value end) offsets into the current
// buffer, valid only during the onMessage callback, which run() makes after scanMessage returns.
//
// Framing rules (a log reader's, not a session engine's):
// - a message starts at `8=FIX` not preceded by a digit; anything before it on the line is a
//   prefix (timestamp, arrow, NUL bytes, JSON wrapper) and is skipped;
// - the delimiter is read from the byte(s) right after the BeginString value: SOH, `|`, `^A`,
//   the escapes `\u0001` (JSON) and `\x01`, or ` | `; CheckSum and BodyLength count every
//   delimiter as one SOH byte;
// - a message ends after `10=<digits>` (and its delimiter when present). Without a CheckSum it
//   ends at a line break that is not followed by a continuation line (`<digits>=` but not
//   `8=FIX`), at the next `8=FIX` field, or at the end of input;
// - a data field announced by its length field (95/96, 212/213, 354/355, …) is read as exactly
//   that many bytes, so it may hold SOH or line breaks;
// - lines whose first non-blank byte is `#` are comments.

/** How the delimiter is written: SOH itself, or a text form log tools print instead. */
export type FixDelimiterName = 'SOH' | '|' | '^A' | '\\u0001' | '\\x01' | ' | ';

export interface FixDelimiter {
  name: FixDelimiterName;
  bytes: readonly number[];
}

export const FIX_DELIMITERS: readonly FixDelimiter[] = [
  { name: 'SOH', bytes: [0x01] },
  { name: '|', bytes: [0x7c] },
  { name: '^A', bytes: [0x5e, 0x41] },
  { name: '\\u0001', bytes: [0x5c, 0x75, 0x30, 0x30, 0x30, 0x31] },
  { name: '\\x01', bytes: [0x5c, 0x78, 0x30, 0x31] },
  { name: ' | ', bytes: [0x20, 0x7c, 0x20] },
];

/** Parse error codes the scanner reports. */
export const FIX_ERROR_CODES = {
  noBeginString: 'fix.no_begin_string',
  missingMsgType: 'fix.missing_msg_type',
  garbledField: 'fix.garbled_field',
  truncated: 'fix.truncated',
  unknownDelimiter: 'fix.unknown_delimiter',
  tooLong: 'fix.too_long',
} as const;

export interface FixScanEvents {
  /** A framed message; read the scanner's message state (offsets into scanner.buf) during the call only. */
  onMessage(scanner: FixScanner): void;
  /** Bytes that look like FIX but cannot be a message. start/end are offsets into scanner.buf. */
  onError(code: string, message: string, start: number, end: number, line: number): void;
}

const NEED_MORE = -1;
/** A message longer than this without an end is reported and skipped (bounds memory). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
/** Junk (no message start) kept while waiting for a line end; longer stretches are checked in pieces. */
const MAX_JUNK_BYTES = 1024 * 1024;

const EMPTY = Buffer.alloc(0);
const DATA_TAG_OF = new Int32Array(1024);
for (const [lengthTag, dataTag] of DATA_FIELD_LENGTH_TAGS) DATA_TAG_OF[lengthTag] = dataTag;

// Imported tables copied into module constants: the hot loop must not go through import bindings.
const { groupByCountTag, memberOf, delimiterOf } = GROUP_TABLES;
const MAX_GROUP = MAX_GROUP_TAG;
const TOP = TOP_GEN;
const DUP = DUP_GEN;
const GEN_SIZE = GEN_TABLE_SIZE;
const NAMED_LIMIT = NAMED_TAG_LIMIT;
const SLOT_OF = SLOT_OF_TAG;
const MAX_DEPTH = MAX_GROUP_DEPTH;
const newGeneration = nextGeneration;

/**
 * What a tag means to the framer, one lookup per field (tags below KIND_SIZE): MsgType,
 * BodyLength, the length field of a data field, a repeating group's NumInGroup; 0 otherwise.
 */
const KIND_SIZE = MAX_GROUP_TAG;
const KIND_MSG_TYPE = 1;
const KIND_BODY_LENGTH = 2;
const KIND_DATA_LENGTH = 3;
const KIND_GROUP_COUNT = 4;
const FIELD_KIND: Uint8Array = (() => {
  const t = new Uint8Array(KIND_SIZE);
  for (let tag = 0; tag < KIND_SIZE; tag++) if (groupByCountTag[tag] !== 0) t[tag] = KIND_GROUP_COUNT;
  for (const [lengthTag] of DATA_FIELD_LENGTH_TAGS) {
    if (t[lengthTag] !== 0) throw new Error(`tag ${lengthTag} is both a group count and a data length`);
    t[lengthTag] = KIND_DATA_LENGTH;
  }
  if (t[35] !== 0 || t[9] !== 0) throw new Error('35 and 9 cannot be group or data length tags');
  t[35] = KIND_MSG_TYPE;
  t[9] = KIND_BODY_LENGTH;
  return t;
})();

/**
 * Per delimiter: 1 for the bytes a value scan must look at (control bytes such as SOH and LF,
 * the JSON specials quote and backslash, the delimiter's first byte, non-ASCII bytes); 0 for
 * ordinary bytes.
 */
const SPECIAL_BYTES: Uint8Array[] = FIX_DELIMITERS.map((d) => {
  const t = new Uint8Array(256);
  for (let b = 0; b < 0x20; b++) t[b] = 1;
  for (let b = 0x80; b < 0x100; b++) t[b] = 1; // non-ASCII: noted in valueBits on the slow path
  t[0x22] = 1;
  t[0x5c] = 1;
  t[d.bytes[0]] = 1;
  return t;
});

/**
 * The union of SPECIAL_BYTES over every delimiter, as one module constant: the value scan's
 * table then has a known length (no bounds check per byte). Bytes special only for another
 * delimiter (`|`, `^`, space) take the slow path, which handles any byte correctly.
 */
const SPECIAL_ANY: Uint8Array = (() => {
  const t = new Uint8Array(256);
  for (const d of SPECIAL_BYTES) for (let b = 0; b < 256; b++) t[b] |= d[b];
  return t;
})();

const HEX = '0123456789abcdef';

/** Writes one value byte into JSON string content, escaped when JSON requires it. */
function writeJsonByte(json: Uint8Array, o: number, c: number): number {
  if (c < 0x20) {
    json[o] = 0x5c;
    json[o + 1] = 0x75;
    json[o + 2] = 0x30;
    json[o + 3] = 0x30;
    json[o + 4] = HEX.charCodeAt(c >> 4);
    json[o + 5] = HEX.charCodeAt(c & 15);
    return o + 6;
  }
  if (c === 0x22 || c === 0x5c) {
    json[o] = 0x5c;
    json[o + 1] = c;
    return o + 2;
  }
  json[o] = c;
  return o + 1;
}

function isDigit(b: number): boolean {
  return b >= 48 && b <= 57;
}
function isBeginStringByte(b: number): boolean {
  return (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b === 46;
}

export class FixScanner {
  /** Current buffer; message offsets below point into it. */
  buf: Buffer = EMPTY;
  /** Absolute offset of buf[0] in the file. */
  base: number;
  /** Line number of buf[pos]. */
  line: number;

  // ---- state of the message being reported (valid during onMessage) ----
  msgStart = 0;
  msgEnd = 0;
  msgLine = 0;
  delimiter = 0;
  nFields = 0;
  tags = new Int32Array(256);
  /** Where each value's text sits in the fields JSON; jsonValueEnd is -1 when the JSON escaped it. */
  jsonValueStart = new Int32Array(256);
  jsonValueEnd = new Int32Array(256);
  valueStart = new Int32Array(256);
  valueEnd = new Int32Array(256);
  /** Index of the first MsgType field. */
  msgTypeIndex = -1;

  // ---- analysis of the message being reported (valid during onMessage) ----
  /** Tags repeated outside repeating groups, in order of first repetition. */
  duplicateTags: number[] = [];
  /** Group problems, e.g. '386:count 3, found 2', '78:80 before 79'. */
  groupErrors: string[] = [];
  /**
   * Named tags present (see fix-message-analysis NAMED_TAGS): slotsSet[0..slotsSetCount) are
   * their slots, each once; slotIndex[slot] is the field index of the tag's first occurrence
   * outside groups, else its first inside one.
   */
  readonly slotsSet = new Int32Array(NAMED_SLOTS);
  slotsSetCount = 0;
  readonly slotIndex = new Int32Array(NAMED_SLOTS);
  /** slot → generation of the message that set slotIndex[slot] (no clearing per message). */
  private readonly slotGen = new Int32Array(NAMED_SLOTS);
  private generation = 0;
  /** Tags ≥ GEN_TABLE_SIZE (rare) seen outside groups in the current message. */
  private readonly bigTop = new Set<number>();
  private readonly stackGroup = new Int32Array(MAX_GROUP_DEPTH);
  private readonly stackCount = new Int32Array(MAX_GROUP_DEPTH);
  private readonly stackFound = new Int32Array(MAX_GROUP_DEPTH);
  bodyLengthOk = false;
  checksumOk = false;
  checksumPresent = false;
  /** OR of every value byte: bit 7 set means some value holds non-ASCII bytes. */
  valueBits = 0;
  /**
   * The message's fields as JSON [[tag,"value"],…] in json[0..jsonLength), written during the
   * scan (escaped for JSON: quote, backslash, control bytes); decode with latin1, or UTF-8 when
   * valueBits has bit 7.
   */
  json: Buffer = Buffer.alloc(64 * 1024);
  jsonLength = 0;

  private len = 0;
  private pos = 0;
  /** Set by scanMessage when it framed a message for onMessage. */
  private framed = false;
  private atLineStart = true;
  /** Byte before buf[0] (for the "not preceded by a digit" rule across chunks). */
  private prevByte = 10;

  /**
   * joinHeadBytes: how much of a new chunk is joined with the previous chunk's unfinished tail
   * before scanning moves onto the chunk itself (tests set it small to exercise the switch).
   */
  constructor(
    private readonly events: FixScanEvents,
    baseOffset = 0,
    baseLine = 1,
    private readonly joinHeadBytes = 64 * 1024,
  ) {
    this.base = baseOffset;
    this.line = baseLine;
  }

  /** Absolute file offset of a buffer position. */
  offsetOf(bufPos: number): number {
    return this.base + bufPos;
  }

  /** Field index of a named tag in the current message (see slotIndex); -1 when absent or not named. */
  named(tag: number): number {
    if (tag >= NAMED_LIMIT) return -1;
    const slot = SLOT_OF[tag];
    return slot !== 0 && this.slotGen[slot] === this.generation ? this.slotIndex[slot] : -1;
  }

  /** Feeds the next chunk; frames every message that is complete. */
  push(chunk: Uint8Array): void {
    const incoming = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pos < this.len) {
      // The unfinished tail of the last chunk is joined with only the head of this one; once
      // the tail is consumed, scanning continues on the chunk itself (no copy of the chunk).
      const tailLength = this.len - this.pos;
      const headLength = Math.min(incoming.length, this.joinHeadBytes);
      this.buf = Buffer.concat([this.buf.subarray(this.pos, this.len), incoming.subarray(0, headLength)]);
      this.base += this.pos;
      this.len = this.buf.length;
      this.pos = 0;
      if (headLength < incoming.length) {
        this.ensureJson();
        this.run(false);
        if (this.pos >= tailLength) {
          this.prevByte = this.buf[this.pos - 1];
          this.base += tailLength;
          this.pos -= tailLength;
          this.buf = incoming;
          this.len = incoming.length;
        } else {
          // A message longer than the head: join the rest too.
          this.buf = Buffer.concat([this.buf.subarray(this.pos), incoming.subarray(headLength)]);
          this.base += this.pos;
          this.len = this.buf.length;
          this.pos = 0;
        }
      }
    } else {
      this.base += this.len;
      this.buf = incoming;
      this.len = incoming.length;
      this.pos = 0;
    }
    this.ensureJson();
    this.run(false);
    // Keep only the unfinished tail; copy it so a caller may reuse its chunk buffer.
    if (this.pos > 0) this.prevByte = this.buf[this.pos - 1];
    this.base += this.pos;
    this.buf = this.pos < this.len ? Buffer.from(this.buf.subarray(this.pos, this.len)) : EMPTY;
    this.len = this.buf.length;
    this.pos = 0;
  }

  /** Ends the input: whatever is left becomes a message, a parse error or nothing. */
  finish(): void {
    this.ensureJson();
    this.run(true);
    this.base += this.len;
    this.buf = EMPTY;
    this.len = 0;
    this.pos = 0;
  }

  private run(final: boolean): void {
    const buf = this.buf;
    const len = this.len;
    let p = this.pos;
    while (p < len) {
      const segStart = p;
      let q = p;
      if (this.atLineStart) {
        while (q < len && (buf[q] === 32 || buf[q] === 9)) q++;
        if (q >= len && !final) break;
        if (q < len && buf[q] === 35 /* # */) {
          const lf = buf.indexOf(10, q);
          if (lf < 0) {
            if (!final && len - segStart < MAX_JUNK_BYTES) break;
            p = len;
            this.atLineStart = false;
            continue;
          }
          this.line++;
          p = lf + 1;
          continue;
        }
      }
      // Look for a message start or the line end.
      let found = -1;
      let needMore = false;
      for (; q < len; q++) {
        const b = buf[q];
        if (b === 10) break;
        if (b === 0x38) {
          if (q + 4 >= len) {
            if (!final) {
              needMore = true;
              break;
            }
            continue;
          }
          if (
            buf[q + 1] === 0x3d &&
            buf[q + 2] === 0x46 &&
            buf[q + 3] === 0x49 &&
            buf[q + 4] === 0x58 &&
            !isDigit(q > 0 ? buf[q - 1] : this.prevByte)
          ) {
            found = q;
            break;
          }
        }
      }
      if (found >= 0) {
        this.checkJunk(segStart, found);
        this.framed = false;
        const next = this.scanMessage(found, final);
        // Reported here, not inside scanMessage: the row code is then never inlined into the
        // framer, whose optimised code is large and slow to compile; a deopt in the rows must
        // not throw it away.
        if (this.framed) this.events.onMessage(this);
        if (next === NEED_MORE) {
          if (len - found > MAX_MESSAGE_BYTES) {
            this.error(FIX_ERROR_CODES.tooLong, `message longer than ${MAX_MESSAGE_BYTES} bytes without an end`, found, len, this.line);
            p = found + 2;
            this.atLineStart = false;
            continue;
          }
          p = found;
          this.atLineStart = false;
          break;
        }
        p = next;
        this.atLineStart = false;
        continue;
      }
      if (needMore || q >= len) {
        if (final) {
          this.checkJunk(segStart, len);
          p = len;
          continue;
        }
        if (q - segStart > MAX_JUNK_BYTES) {
          // A huge stretch without a line end: check it now and keep a short tail.
          const cut = len - 8;
          this.checkJunk(segStart, cut);
          p = cut;
          this.atLineStart = false;
        } else {
          p = segStart;
        }
        break;
      }
      // Line end.
      this.checkJunk(segStart, q > segStart && buf[q - 1] === 13 ? q - 1 : q);
      this.line++;
      p = q + 1;
      this.atLineStart = true;
    }
    this.pos = p;
  }

  /** Reports a stretch of non-message bytes when it looks like FIX fields (tag=value and a delimiter). */
  private checkJunk(start: number, end: number): void {
    if (end - start < 4) return;
    const buf = this.buf;
    let fields = 0;
    let soh = false;
    let fieldStart = true;
    for (let i = start; i < end; i++) {
      const b = buf[i];
      if (b === 1 || b === 0x7c) {
        if (b === 1) soh = true;
        fieldStart = true;
        continue;
      }
      if (b === 0x5e && i + 1 < end && buf[i + 1] === 0x41) {
        fieldStart = true;
        i++;
        continue;
      }
      if (fieldStart && isDigit(b)) {
        let j = i;
        while (j < end && isDigit(buf[j])) j++;
        if (j < end && buf[j] === 0x3d) fields++;
        i = j - 1;
      }
      fieldStart = false;
    }
    if (fields >= 2 || (soh && fields >= 1)) {
      this.error(FIX_ERROR_CODES.noBeginString, 'FIX fields without a BeginString (8=FIX…) before them', start, end, this.line);
    }
  }

  private closeGroup(level: number): void {
    const e = groupCountError(this.stackGroup[level], this.stackCount[level], this.stackFound[level]);
    if (e !== null) this.groupErrors.push(e);
  }

  private bigTag(tag: number): void {
    if (!this.bigTop.has(tag)) this.bigTop.add(tag);
    else if (!this.duplicateTags.includes(tag)) this.duplicateTags.push(tag);
  }

  private error(code: string, message: string, start: number, end: number, line: number): void {
    this.events.onError(code, message, start, end, line);
  }

  private grow(): void {
    const n = this.tags.length * 2;
    const t = new Int32Array(n);
    t.set(this.tags);
    this.tags = t;
    const s = new Int32Array(n);
    s.set(this.valueStart);
    this.valueStart = s;
    const e = new Int32Array(n);
    e.set(this.valueEnd);
    this.valueEnd = e;
    const js = new Int32Array(n);
    js.set(this.jsonValueStart);
    this.jsonValueStart = js;
    const je = new Int32Array(n);
    je.set(this.jsonValueEnd);
    this.jsonValueEnd = je;
  }

  /** The JSON scratch fits any message of the current buffer (each byte escapes to 6 at most). */
  private ensureJson(): void {
    const need = 6 * this.len + 256;
    if (this.json.length < need) this.json = Buffer.alloc(Math.max(need, this.json.length * 2));
  }

  /** 1 when buf[i..] holds the delimiter, 0 when not, NEED_MORE when the buffer ends inside it. */
  private delimiterAt(i: number, bytes: readonly number[], final: boolean): number {
    const buf = this.buf;
    for (let k = 0; k < bytes.length; k++) {
      if (i + k >= this.len) return final ? 0 : NEED_MORE;
      if (buf[i + k] !== bytes[k]) return 0;
    }
    return 1;
  }

  /** Is the line starting at k the continuation of a message (`<digits>=`, not `8=FIX`)? */
  private continuation(k: number, final: boolean): number {
    const buf = this.buf;
    const len = this.len;
    let j = k;
    while (j < len && j - k < 10 && isDigit(buf[j])) j++;
    if (j >= len) return final ? 0 : NEED_MORE;
    if (j === k || buf[j] !== 0x3d) return 0;
    if (j === k + 1 && buf[k] === 0x38) {
      if (j + 3 >= len) return final ? 0 : NEED_MORE;
      if (buf[j + 1] === 0x46 && buf[j + 2] === 0x49 && buf[j + 3] === 0x58) return 0;
    }
    return 1;
  }

  /**
   * Frames the message starting at p (`8=FIX` there). Returns the position after it, or
   * NEED_MORE when the buffer ends before the message does and more input may come.
   */
  private scanMessage(p: number, final: boolean): number {
    const buf = this.buf;
    const len = this.len;
    let i = p + 2;
    while (i < len && isBeginStringByte(buf[i]) && i - p < 32) i++;
    if (i >= len) {
      if (!final) return NEED_MORE;
      this.error(FIX_ERROR_CODES.truncated, 'input ends inside the BeginString', p, len, this.line);
      return len;
    }
    let d = -1;
    const b0 = buf[i];
    if (b0 === 0x01) d = 0;
    else if (b0 === 0x7c) d = 1;
    else {
      // Text forms: ^A, \u0001, \x01, " | ".
      for (let k = 2; k < FIX_DELIMITERS.length && d < 0; k++) {
        if (FIX_DELIMITERS[k].bytes[0] !== b0) continue;
        const m = this.delimiterAt(i, FIX_DELIMITERS[k].bytes, final);
        if (m === NEED_MORE) return NEED_MORE;
        if (m === 1) d = k;
      }
    }
    if (d < 0) {
      this.error(FIX_ERROR_CODES.unknownDelimiter, 'no known delimiter (SOH, |, ^A, \\u0001, \\x01, " | ") after the BeginString', p, i, this.line);
      return p + 2;
    }
    const dBytes = FIX_DELIMITERS[d].bytes;
    const dlen = dBytes.length;
    const d0 = dBytes[0];
    const special = SPECIAL_ANY;

    // Field arrays and the JSON scratch are reassigned when they grow.
    let tags = this.tags;
    let valueStart = this.valueStart;
    let valueEnd = this.valueEnd;
    let jsonValueStart = this.jsonValueStart;
    let jsonValueEnd = this.jsonValueEnd;
    const json = this.json;
    // json holds 6 × (len - p) + 256 bytes at least: see ensureJson (no growth in here, where a
    // path taken only for a new scanner's first message would deoptimise the framer).

    let sum = 1 + 0x38 + 0x3d; // `8=`, and the BeginString's delimiter counts as SOH
    let o = 0;
    json[o++] = 0x5b; // [
    json[o++] = 0x5b;
    json[o++] = 0x38; // 8
    json[o++] = 0x2c;
    json[o++] = 0x22;
    for (let k = p + 2; k < i; k++) {
      const c = buf[k];
      sum += c;
      json[o++] = c;
    }
    json[o++] = 0x22;
    json[o++] = 0x5d;
    let norm = i - p + 1; // bytes counted as if every delimiter were one SOH
    tags[0] = 8;
    valueStart[0] = p + 2;
    valueEnd[0] = i;
    jsonValueStart[0] = 5;
    jsonValueEnd[0] = 5 + (i - p - 2);
    let n = 1;
    i += dlen;

    // Analysis state (groups, duplicates, named tags), updated per field below.
    const gen = newGeneration();
    if (this.duplicateTags.length) this.duplicateTags = [];
    if (this.groupErrors.length) this.groupErrors = [];
    if (this.bigTop.size) this.bigTop.clear();
    const topGen = TOP;
    const dupGen = DUP;
    const slotOf = SLOT_OF;
    const fieldKind = FIELD_KIND;
    const slotIndex = this.slotIndex;
    const slotGen = this.slotGen;
    const slotsSet = this.slotsSet;
    const stackGroup = this.stackGroup;
    const stackCount = this.stackCount;
    const stackFound = this.stackFound;
    let slotsSetCount = 0;
    let depth = 0;
    topGen[8] = gen;

    let lines = 0;
    let valueBits = 0;
    let msgTypeIndex = -1;
    let declaredBodyLength = -1;
    let bodyStartNorm = -1;
    let garbledAt = -1;
    let pendingDataTag = 0;
    let pendingDataLength = -1;
    let lastTerminated = true;
    let checksumPresent = false;
    let checksumValue = -1;
    let normBeforeChecksum = 0;
    let end = len;
    let cutInsideField = false;

    for (;;) {
      if (i >= len) {
        if (!final) return NEED_MORE;
        end = len;
        break;
      }
      let b = buf[i];
      if (b === 10 || b === 13) {
        let lf = i;
        if (b === 13) {
          if (i + 1 >= len) {
            if (!final) return NEED_MORE;
            end = i;
            break;
          }
          if (buf[i + 1] !== 10) {
            garbledAt = garbledAt < 0 ? i : garbledAt;
            i++;
            continue;
          }
          lf = i + 1;
        }
        const cont = this.continuation(lf + 1, final);
        if (cont === NEED_MORE) return NEED_MORE;
        if (cont === 0) {
          end = i;
          break;
        }
        lines++;
        i = lf + 1;
        if (!lastTerminated) {
          // The log broke the line where the delimiter was: count it back.
          sum += 1;
          norm += 1;
          lastTerminated = true;
        }
        continue;
      }
      const f = i;
      // JSON: ,[<tag>," — the tag bytes are copied while they are read (rewritten below in
      // the rare case of leading zeros); o goes back to jsonFieldStart when this is no field.
      const jsonFieldStart = o;
      json[o++] = 0x2c;
      json[o++] = 0x5b;
      let tag = 0;
      let tagSum = 0;
      while (i < len) {
        b = buf[i];
        if (b < 48 || b > 57) break;
        tag = tag * 10 + (b - 48);
        tagSum += b;
        json[o++] = b;
        i++;
      }
      if (i >= len) {
        if (!final) return NEED_MORE;
        end = len;
        cutInsideField = true;
        break;
      }
      const digits = i - f;
      if (digits === 0 || digits > 9 || b !== 0x3d) {
        // Not `<digits>=`: a garbled field. Keep framing to the next delimiter so the
        // message's neighbours are not lost.
        o = jsonFieldStart;
        if (garbledAt < 0) garbledAt = f;
        sum += tagSum;
        let terminated = false;
        for (;;) {
          if (i >= len) {
            if (!final) return NEED_MORE;
            break;
          }
          const c = buf[i];
          if (c === d0) {
            const m = dlen === 1 ? 1 : this.delimiterAt(i, dBytes, final);
            if (m === NEED_MORE) return NEED_MORE;
            if (m === 1) {
              i += dlen;
              terminated = true;
              break;
            }
          } else if (c === 10) break;
          sum += c;
          i++;
        }
        norm += i - f;
        if (terminated) {
          norm -= dlen - 1;
          sum += 1;
        }
        lastTerminated = terminated;
        continue;
      }
      if (tag === 8) {
        // `8=FIX` where a field should be: the next message starts; this one had no CheckSum.
        if (i + 3 >= len && !final) return NEED_MORE;
        if (i + 3 < len && buf[i + 1] === 0x46 && buf[i + 2] === 0x49 && buf[i + 3] === 0x58) {
          o = jsonFieldStart;
          end = f;
          break;
        }
      }
      if (n === tags.length) {
        this.grow();
        tags = this.tags;
        valueStart = this.valueStart;
        valueEnd = this.valueEnd;
        jsonValueStart = this.jsonValueStart;
        jsonValueEnd = this.jsonValueEnd;
      }
      if (buf[f] === 0x30 && digits > 1) {
        // The JSON number is the tag without its leading zeros.
        o = jsonFieldStart + 2;
        const t = String(tag);
        for (let c = 0; c < t.length; c++) json[o++] = t.charCodeAt(c);
      }
      json[o++] = 0x2c;
      json[o++] = 0x22;
      const jv = o;
      const vs = i + 1;
      i = vs;
      if (tag === 10 && digits === 2) {
        while (i < len && isDigit(buf[i])) json[o++] = buf[i++];
        if (i >= len && !final) return NEED_MORE;
        const csEnd = i;
        if (i < len) {
          const m = this.delimiterAt(i, dBytes, final);
          if (m === NEED_MORE) return NEED_MORE;
          if (m === 1) i += dlen;
        }
        json[o++] = 0x22;
        json[o++] = 0x5d;
        checksumPresent = true;
        normBeforeChecksum = norm;
        checksumValue = csEnd - vs === 3 ? (buf[vs] - 48) * 100 + (buf[vs + 1] - 48) * 10 + (buf[vs + 2] - 48) : -1;
        tags[n] = 10;
        valueStart[n] = vs;
        valueEnd[n] = csEnd;
        jsonValueStart[n] = jv;
        jsonValueEnd[n] = jv + (csEnd - vs);
        n++;
        end = i;
        break;
      }
      sum += tagSum + 0x3d;
      let ve = -1;
      let terminated = false;
      if (pendingDataTag === tag && pendingDataLength >= 0) {
        const e = vs + pendingDataLength;
        if (e + dlen > len && !final) return NEED_MORE;
        if (e + dlen <= len && this.delimiterAt(e, dBytes, final) === 1) {
          for (let k = vs; k < e; k++) {
            const c = buf[k];
            sum += c;
            valueBits |= c;
            if (c === 10) lines++;
            o = writeJsonByte(json, o, c);
          }
          ve = e;
          i = e + dlen;
          terminated = true;
        }
      }
      pendingDataTag = 0;
      if (ve < 0) {
        for (;;) {
          // Hot path: a run of ordinary (printable ASCII) value bytes, in a loop without calls
          // so the typed arrays' base and length stay in registers.
          while (i < len) {
            const c = buf[i];
            if (special[c] !== 0) break;
            sum += c;
            json[o++] = c;
            i++;
          }
          if (i >= len) {
            if (!final) return NEED_MORE;
            ve = len;
            cutInsideField = true;
            break;
          }
          const c = buf[i];
          if (c === d0) {
            const m = dlen === 1 ? 1 : this.delimiterAt(i, dBytes, final);
            if (m === NEED_MORE) return NEED_MORE;
            if (m === 1) {
              ve = i;
              i += dlen;
              terminated = true;
              break;
            }
          } else if (c === 10) {
            ve = i;
            if (i > vs && buf[i - 1] === 13) {
              // CRLF ends the line: the CR was taken as value; give it back.
              ve = i - 1;
              sum -= 13;
              o -= 6;
            }
            break;
          }
          sum += c;
          valueBits |= c;
          o = writeJsonByte(json, o, c);
          i++;
        }
      }
      tags[n] = tag;
      valueStart[n] = vs;
      valueEnd[n] = ve;
      jsonValueStart[n] = jv;
      jsonValueEnd[n] = o - jv === ve - vs ? o : -1;
      json[o++] = 0x22;
      json[o++] = 0x5d;
      n++;
      norm += ve - f;
      if (terminated) {
        norm += 1;
        sum += 1;
      }
      lastTerminated = terminated;
      // Groups: a tag that is neither the group's first field nor a member ends the group.
      while (depth > 0) {
        const g = stackGroup[depth - 1];
        if (tag === delimiterOf[g]) {
          stackFound[depth - 1]++;
          break;
        }
        if (tag < MAX_GROUP && memberOf[g][tag] === 1) {
          if (stackFound[depth - 1] === 0) this.groupErrors.push(memberBeforeDelimiterError(g, tag));
          break;
        }
        this.closeGroup(--depth);
      }
      // Duplicates outside groups, and the chosen occurrence of each named tag.
      if (tag < GEN_SIZE) {
        if (depth === 0) {
          if (topGen[tag] !== gen) {
            topGen[tag] = gen;
            const slot = tag < NAMED_LIMIT ? slotOf[tag] : 0;
            if (slot !== 0) {
              if (slotGen[slot] !== gen) {
                slotGen[slot] = gen;
                slotsSet[slotsSetCount++] = slot;
              }
              slotIndex[slot] = n - 1;
            }
          } else if (dupGen[tag] !== gen) {
            dupGen[tag] = gen;
            this.duplicateTags.push(tag);
          }
        } else {
          const slot = tag < NAMED_LIMIT ? slotOf[tag] : 0;
          if (slot !== 0 && slotGen[slot] !== gen) {
            slotGen[slot] = gen;
            slotIndex[slot] = n - 1;
            slotsSet[slotsSetCount++] = slot;
          }
        }
      } else if (depth === 0) this.bigTag(tag);
      const kind = tag < KIND_SIZE ? fieldKind[tag] : 0;
      if (kind !== 0) {
        if (kind === KIND_MSG_TYPE) {
          if (msgTypeIndex < 0 && ve > vs) msgTypeIndex = n - 1;
        } else if (kind === KIND_BODY_LENGTH) {
          if (bodyStartNorm < 0) {
            bodyStartNorm = norm;
            declaredBodyLength = parseDigits(buf, vs, ve);
          }
        } else if (kind === KIND_DATA_LENGTH) {
          pendingDataTag = DATA_TAG_OF[tag];
          pendingDataLength = parseDigits(buf, vs, ve);
        } else if (depth < MAX_DEPTH) {
          stackGroup[depth] = groupByCountTag[tag] - 1;
          stackCount[depth] = parseDigits(buf, vs, ve);
          stackFound[depth] = 0;
          depth++;
        }
      }
      if (cutInsideField) {
        end = len;
        break;
      }
      if (i - p > MAX_MESSAGE_BYTES) {
        this.error(FIX_ERROR_CODES.tooLong, `message longer than ${MAX_MESSAGE_BYTES} bytes without an end`, p, i, this.line);
        this.line += lines;
        return i;
      }
    }
    json[o++] = 0x5d;

    const msgLine = this.line;
    this.line += lines;
    const bodyNorm = (checksumPresent ? normBeforeChecksum : norm) - bodyStartNorm;
    if (garbledAt >= 0) {
      this.error(FIX_ERROR_CODES.garbledField, 'a field is not <tag>=<value> (tag must be digits)', p, end, msgLine);
      return end;
    }
    if (!checksumPresent) {
      if (cutInsideField || (end === len && !lastTerminated) || (declaredBodyLength >= 0 && bodyNorm < declaredBodyLength)) {
        this.error(FIX_ERROR_CODES.truncated, 'message cut short: no CheckSum and fewer bytes than a whole message', p, end, msgLine);
        return end;
      }
    }
    if (msgTypeIndex < 0) {
      this.error(FIX_ERROR_CODES.missingMsgType, 'message without MsgType (35)', p, end, msgLine);
      return end;
    }
    // CheckSum (never a group member) ends every open group, and is noted like any field.
    while (depth > 0) this.closeGroup(--depth);
    if (checksumPresent) {
      if (topGen[10] !== gen) topGen[10] = gen;
      else if (dupGen[10] !== gen) {
        dupGen[10] = gen;
        this.duplicateTags.push(10);
      }
    }
    this.slotsSetCount = slotsSetCount;
    this.generation = gen;
    this.msgStart = p;
    this.msgEnd = end;
    this.msgLine = msgLine;
    this.delimiter = d;
    this.nFields = n;
    this.jsonLength = o;
    this.msgTypeIndex = msgTypeIndex;
    this.checksumPresent = checksumPresent;
    this.checksumOk = checksumPresent && checksumValue === (sum & 255);
    this.bodyLengthOk = declaredBodyLength >= 0 && bodyStartNorm >= 0 && declaredBodyLength === bodyNorm;
    this.valueBits = valueBits;
    this.framed = true;
    return end;
  }
}

/** Non-negative integer value of buf[s..e), or -1 when it is not all digits (or too long). */
export function parseDigits(buf: Uint8Array, s: number, e: number): number {
  if (e <= s || e - s > 15) return -1;
  let v = 0;
  for (let k = s; k < e; k++) {
    const c = buf[k] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
