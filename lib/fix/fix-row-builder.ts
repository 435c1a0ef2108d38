// Turns one framed message into a row of fix_order_events or fix_session_events.
// The rows are written as object literals (one fixed shape each, in the column order of
// fix-output-columns.ts; a test pins the keys) because that is the cheapest row V8 can build.
// Named columns take a tag's first occurrence outside repeating groups (else its first
// occurrence inside one); an empty value is null. Every value stays exact text.

import type { ParserRow } from '../parsers/parser-types';
import { FixValueDecoder, LAST_SLOTS } from './fix-fields-json';
import { lifecycleEventOf, type TagReader } from './fix-lifecycle';
import { ORDER_EVENT_FIELDS, SESSION_EVENT_FIELDS } from './fix-output-columns';
import { NAMED_SLOTS, SLOT_OF_TAG } from './fix-message-analysis';
import type { FixScanner } from './fix-scanner';

const eventOf = lifecycleEventOf;

/**
 * The last BeginString string, shared by every parse of the process: a new parse's first
 * message then finds it too (a path taken only by a first message would deoptimise warm code).
 */
let lastBeginString = '';

/** Tags below this index the per-message value table (every named tag is below it). */
const TAG_TABLE_SIZE = 1024;

/**
 * Named tags of low-cardinality columns (comp ids, flags, sides, statuses, symbols,
 * currencies, reasons): their values are interned, so a repeated value is one shared string.
 */
const INTERNED_TAGS: Uint8Array = tagTable([49, 56, 43, 97, 20, 150, 39, 54, 55, 48, 22, 40, 59, 15, 1, 30, 103, 102, 434, 372, 371, 373, 380, 123, 141, 108]);

const HEADER_TAGS = [34, 49, 56, 52, 43, 97, 122];

function tagTable(tags: readonly number[]): Uint8Array {
  const t = new Uint8Array(TAG_TABLE_SIZE);
  for (const tag of tags) t[tag] = 1;
  return t;
}

/** The tags of orderRow's switch cases 1, 2, …, in that order (a test pins the row keys). */
const ORDER_CASE_TAGS = [34, 49, 56, 52, 43, 97, 122, 11, 41, 37, 198, 17, 19, 20, 150, 39, 54, 55, 48, 22, 38, 40, 44, 59, 32, 31, 14, 151, 6, 15, 1, 30, 75, 64, 60, 58, 103, 102, 434, 571, 880];
/** The tags of sessionRow's switch cases 1, 2, …, in that order. */
const SESSION_CASE_TAGS = [34, 49, 56, 52, 43, 97, 122, 45, 372, 371, 373, 380, 7, 16, 36, 123, 112, 141, 108, 58];

/** slot → case number in a row kind's switch (0: no column of that row kind). */
function caseOfSlot(caseTags: readonly number[], columnTags: readonly number[]): Uint8Array {
  // The switch covers exactly the row kind's columns (header tags + its tag → column list).
  if ([...caseTags].sort((a, b) => a - b).join() !== [...new Set(columnTags)].sort((a, b) => a - b).join()) {
    throw new Error('row builder switch cases differ from the output columns');
  }
  const t = new Uint8Array(NAMED_SLOTS);
  caseTags.forEach((tag, i) => {
    if (SLOT_OF_TAG[tag] === 0) throw new Error(`row tag ${tag} is not a named tag`);
    t[SLOT_OF_TAG[tag]] = i + 1;
  });
  return t;
}
const ORDER_CASE_OF_SLOT = caseOfSlot(ORDER_CASE_TAGS, [...HEADER_TAGS, ...ORDER_EVENT_FIELDS.map(([tag]) => tag)]);
const SESSION_CASE_OF_SLOT = caseOfSlot(SESSION_CASE_TAGS, [...HEADER_TAGS, ...SESSION_EVENT_FIELDS.map(([tag]) => tag)]);

/** slot → 1 when its tag's values are interned. */
const INTERNED_SLOTS: Uint8Array = (() => {
  if (NAMED_SLOTS > LAST_SLOTS) throw new Error('more named slots than FixValueDecoder.internedFor keeps');
  const t = new Uint8Array(NAMED_SLOTS);
  for (let tag = 0; tag < SLOT_OF_TAG.length; tag++) if (SLOT_OF_TAG[tag] !== 0 && INTERNED_TAGS[tag] === 1) t[SLOT_OF_TAG[tag]] = 1;
  return t;
})();

export class FixRowBuilder implements TagReader {
  private readonly values = new FixValueDecoder();
  private s!: FixScanner;

  /** Takes the scanner's current message (framed and analysed); call before the row methods. */
  load(s: FixScanner): void {
    this.s = s;
    this.values.load(s);
  }

  /**
   * Column text of field k (a named tag's chosen occurrence), or null when it is empty.
   * ASCII values are substrings of the fields JSON unless JSON escaped them; low-cardinality
   * columns are interned.
   */
  private text(k: number, tag: number): string | null {
    const s = this.s;
    const vs = s.valueStart[k];
    const ve = s.valueEnd[k];
    if (ve === vs) return null;
    const values = this.values;
    if (s.valueBits & 0x80) return values.value(k);
    const je = s.jsonValueEnd[k];
    if (je < 0) return values.value(k);
    if (ve - vs > 1 && INTERNED_TAGS[tag] === 1) return values.interned(k);
    return values.fieldsJson().slice(s.jsonValueStart[k], je);
  }

  /** BeginString: the previous message's string when the bytes are the same (a compare, no hash). */
  beginString(): string {
    const s = this.s;
    const last = lastBeginString;
    const start = s.valueStart[0];
    const len = s.valueEnd[0] - start;
    if (len === last.length && (s.valueBits & 0x80) === 0) {
      const buf = s.buf;
      let x = 0;
      while (x < len && last.charCodeAt(x) === buf[start + x]) x++;
      if (x === len) return last;
    }
    return (lastBeginString = this.values.interned(0));
  }

  msgType(): string {
    return this.values.value(this.s.msgTypeIndex);
  }

  /** True when the message carries ClOrdID, OrderID or ExecID. */
  hasOrderKeys(): boolean {
    const s = this.s;
    return s.named(11) >= 0 || s.named(37) >= 0 || s.named(17) >= 0;
  }

  /** The value of a named tag (see NAMED_TAGS), or null. */
  tagValue(tag: number): string | null {
    const k = this.s.named(tag);
    return k < 0 ? null : this.text(k, tag);
  }

  private duplicates(): string | null {
    const d = this.s.duplicateTags;
    return d.length ? d.join(',') : null;
  }

  private groupErrors(): string | null {
    const g = this.s.groupErrors;
    return g.length ? g.join('; ') : null;
  }

  orderRow(beginString: string, msgType: string, messageIndex: number, base: number): ParserRow {
    const s = this.s;
    const slotsSet = s.slotsSet;
    const slotIndex = s.slotIndex;
    const values = this.values;
    const fields = values.fieldsJson();
    const n = s.slotsSetCount;
    const valueStart = s.valueStart;
    const valueEnd = s.valueEnd;
    const jsonValueStart = s.jsonValueStart;
    const jsonValueEnd = s.jsonValueEnd;
    // ASCII values are substrings of the fields JSON unless JSON escaped them (jsonValueEnd -1).
    const ascii = (s.valueBits & 0x80) === 0;
    let t34: string | null = null;
    let t49: string | null = null;
    let t56: string | null = null;
    let t52: string | null = null;
    let t43: string | null = null;
    let t97: string | null = null;
    let t122: string | null = null;
    let t11: string | null = null;
    let t41: string | null = null;
    let t37: string | null = null;
    let t198: string | null = null;
    let t17: string | null = null;
    let t19: string | null = null;
    let t20: string | null = null;
    let t150: string | null = null;
    let t39: string | null = null;
    let t54: string | null = null;
    let t55: string | null = null;
    let t48: string | null = null;
    let t22: string | null = null;
    let t38: string | null = null;
    let t40: string | null = null;
    let t44: string | null = null;
    let t59: string | null = null;
    let t32: string | null = null;
    let t31: string | null = null;
    let t14: string | null = null;
    let t151: string | null = null;
    let t6: string | null = null;
    let t15: string | null = null;
    let t1: string | null = null;
    let t30: string | null = null;
    let t75: string | null = null;
    let t64: string | null = null;
    let t60: string | null = null;
    let t58: string | null = null;
    let t103: string | null = null;
    let t102: string | null = null;
    let t434: string | null = null;
    let t571: string | null = null;
    let t880: string | null = null;
    // One pass over the named tags present (each slot once): locals, not a table, so the
    // literal below is built from registers and nothing old points at new strings. The switch
    // is on the column's case number (ORDER_CASE_OF_SLOT: dense literals, a jump table).
    for (let j = 0; j < n; j++) {
      const slot = slotsSet[j];
      const col = ORDER_CASE_OF_SLOT[slot];
      if (col === 0) continue;
      const k = slotIndex[slot];
      const vs = valueStart[k];
      const ve = valueEnd[k];
      let v: string | null = null;
      if (ve !== vs) {
        const je = jsonValueEnd[k];
        if (je < 0 || !ascii) v = values.value(k);
        else if (ve - vs > 1 && INTERNED_SLOTS[slot] === 1) v = values.internedFor(slot, k);
        else v = fields.slice(jsonValueStart[k], je);
      }
      switch (col) {
        case 1:
          t34 = v;
          break;
        case 2:
          t49 = v;
          break;
        case 3:
          t56 = v;
          break;
        case 4:
          t52 = v;
          break;
        case 5:
          t43 = v;
          break;
        case 6:
          t97 = v;
          break;
        case 7:
          t122 = v;
          break;
        case 8:
          t11 = v;
          break;
        case 9:
          t41 = v;
          break;
        case 10:
          t37 = v;
          break;
        case 11:
          t198 = v;
          break;
        case 12:
          t17 = v;
          break;
        case 13:
          t19 = v;
          break;
        case 14:
          t20 = v;
          break;
        case 15:
          t150 = v;
          break;
        case 16:
          t39 = v;
          break;
        case 17:
          t54 = v;
          break;
        case 18:
          t55 = v;
          break;
        case 19:
          t48 = v;
          break;
        case 20:
          t22 = v;
          break;
        case 21:
          t38 = v;
          break;
        case 22:
          t40 = v;
          break;
        case 23:
          t44 = v;
          break;
        case 24:
          t59 = v;
          break;
        case 25:
          t32 = v;
          break;
        case 26:
          t31 = v;
          break;
        case 27:
          t14 = v;
          break;
        case 28:
          t151 = v;
          break;
        case 29:
          t6 = v;
          break;
        case 30:
          t15 = v;
          break;
        case 31:
          t1 = v;
          break;
        case 32:
          t30 = v;
          break;
        case 33:
          t75 = v;
          break;
        case 34:
          t64 = v;
          break;
        case 35:
          t60 = v;
          break;
        case 36:
          t58 = v;
          break;
        case 37:
          t103 = v;
          break;
        case 38:
          t102 = v;
          break;
        case 39:
          t434 = v;
          break;
        case 40:
          t571 = v;
          break;
        case 41:
          t880 = v;
          break;
      }
    }
    const lifecycle = eventOf(msgType, t20, t150, t39, t151);
    return {
      begin_string: beginString,
      msg_type: msgType,
      msg_seq_num: t34,
      sender_comp_id: t49,
      target_comp_id: t56,
      sending_time: t52,
      poss_dup_flag: t43,
      poss_resend: t97,
      orig_sending_time: t122,
      cl_ord_id: t11,
      orig_cl_ord_id: t41,
      order_id: t37,
      secondary_order_id: t198,
      exec_id: t17,
      exec_ref_id: t19,
      exec_trans_type: t20,
      exec_type: t150,
      ord_status: t39,
      side: t54,
      symbol: t55,
      security_id: t48,
      security_id_source: t22,
      order_qty: t38,
      ord_type: t40,
      price: t44,
      time_in_force: t59,
      last_qty: t32,
      last_px: t31,
      cum_qty: t14,
      leaves_qty: t151,
      avg_px: t6,
      currency: t15,
      account: t1,
      last_mkt: t30,
      trade_date: t75,
      settl_date: t64,
      transact_time: t60,
      text: t58,
      ord_rej_reason: t103,
      cxl_rej_reason: t102,
      cxl_rej_response_to: t434,
      trade_report_id: t571,
      trd_match_id: t880,
      lifecycle_event: lifecycle,
      body_length_ok: s.bodyLengthOk,
      checksum_ok: s.checksumOk,
      checksum_present: s.checksumPresent,
      duplicate_tags: this.duplicates(),
      group_errors: this.groupErrors(),
      fields,
      line_number: s.msgLine,
      message_index: messageIndex,
      source_offset: base + s.msgStart,
      source_length: s.msgEnd - s.msgStart,
      __cf_row_id: messageIndex,
    };
  }

  sessionRow(beginString: string, msgType: string, messageIndex: number, base: number): ParserRow {
    const s = this.s;
    const slotsSet = s.slotsSet;
    const slotIndex = s.slotIndex;
    const values = this.values;
    const fields = values.fieldsJson();
    const n = s.slotsSetCount;
    const valueStart = s.valueStart;
    const valueEnd = s.valueEnd;
    const jsonValueStart = s.jsonValueStart;
    const jsonValueEnd = s.jsonValueEnd;
    // ASCII values are substrings of the fields JSON unless JSON escaped them (jsonValueEnd -1).
    const ascii = (s.valueBits & 0x80) === 0;
    let t34: string | null = null;
    let t49: string | null = null;
    let t56: string | null = null;
    let t52: string | null = null;
    let t43: string | null = null;
    let t97: string | null = null;
    let t122: string | null = null;
    let t45: string | null = null;
    let t372: string | null = null;
    let t371: string | null = null;
    let t373: string | null = null;
    let t380: string | null = null;
    let t7: string | null = null;
    let t16: string | null = null;
    let t36: string | null = null;
    let t123: string | null = null;
    let t112: string | null = null;
    let t141: string | null = null;
    let t108: string | null = null;
    let t58: string | null = null;
    // One pass over the named tags present (each slot once): locals, not a table, so the
    // literal below is built from registers and nothing old points at new strings. The switch
    // is on the column's case number (SESSION_CASE_OF_SLOT: dense literals, a jump table).
    for (let j = 0; j < n; j++) {
      const slot = slotsSet[j];
      const col = SESSION_CASE_OF_SLOT[slot];
      if (col === 0) continue;
      const k = slotIndex[slot];
      const vs = valueStart[k];
      const ve = valueEnd[k];
      let v: string | null = null;
      if (ve !== vs) {
        const je = jsonValueEnd[k];
        if (je < 0 || !ascii) v = values.value(k);
        else if (ve - vs > 1 && INTERNED_SLOTS[slot] === 1) v = values.internedFor(slot, k);
        else v = fields.slice(jsonValueStart[k], je);
      }
      switch (col) {
        case 1:
          t34 = v;
          break;
        case 2:
          t49 = v;
          break;
        case 3:
          t56 = v;
          break;
        case 4:
          t52 = v;
          break;
        case 5:
          t43 = v;
          break;
        case 6:
          t97 = v;
          break;
        case 7:
          t122 = v;
          break;
        case 8:
          t45 = v;
          break;
        case 9:
          t372 = v;
          break;
        case 10:
          t371 = v;
          break;
        case 11:
          t373 = v;
          break;
        case 12:
          t380 = v;
          break;
        case 13:
          t7 = v;
          break;
        case 14:
          t16 = v;
          break;
        case 15:
          t36 = v;
          break;
        case 16:
          t123 = v;
          break;
        case 17:
          t112 = v;
          break;
        case 18:
          t141 = v;
          break;
        case 19:
          t108 = v;
          break;
        case 20:
          t58 = v;
          break;
      }
    }
    return {
      begin_string: beginString,
      msg_type: msgType,
      msg_seq_num: t34,
      sender_comp_id: t49,
      target_comp_id: t56,
      sending_time: t52,
      poss_dup_flag: t43,
      poss_resend: t97,
      orig_sending_time: t122,
      ref_seq_num: t45,
      ref_msg_type: t372,
      ref_tag_id: t371,
      session_reject_reason: t373,
      business_reject_reason: t380,
      begin_seq_no: t7,
      end_seq_no: t16,
      new_seq_no: t36,
      gap_fill_flag: t123,
      test_req_id: t112,
      reset_seq_num_flag: t141,
      heart_bt_int: t108,
      text: t58,
      body_length_ok: s.bodyLengthOk,
      checksum_ok: s.checksumOk,
      checksum_present: s.checksumPresent,
      duplicate_tags: this.duplicates(),
      group_errors: this.groupErrors(),
      fields,
      line_number: s.msgLine,
      message_index: messageIndex,
      source_offset: base + s.msgStart,
      source_length: s.msgEnd - s.msgStart,
      __cf_row_id: messageIndex,
    };
  }
}
