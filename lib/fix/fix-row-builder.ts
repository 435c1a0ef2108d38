// Turns one framed message into a row of fix_order_events or fix_session_events.
// The rows are written as object literals (one fixed shape each, in the column order of
// fix-output-columns.ts; a test pins the keys) because that is the cheapest row V8 can build.
// Named columns take a tag's first occurrence outside repeating groups (else its first
// occurrence inside one); an empty value is null. Every value stays exact text.

import type { ParserRow } from '../parsers/parser-types';
import { FixValueDecoder } from './fix-fields-json';
import { lifecycleEvent, type TagReader } from './fix-lifecycle';
import { ORDER_EVENT_FIELDS, SESSION_EVENT_FIELDS } from './fix-output-columns';
import { FixMessageAnalysis } from './fix-message-analysis';
import type { FixScanner } from './fix-scanner';

/** Every tag a row column reads (header, order and session columns, lifecycle inputs). */
const NAMED_TAGS: readonly number[] = [
  ...[35, 34, 49, 56, 52, 43, 97, 122],
  ...ORDER_EVENT_FIELDS.map(([tag]) => tag),
  ...SESSION_EVENT_FIELDS.map(([tag]) => tag).filter((t) => t !== 58),
];

const eventOf = lifecycleEvent;

/** Tags below this index the per-message value table (every named tag is below it). */
const TAG_TABLE_SIZE = 1024;

/**
 * Named tags of low-cardinality columns (comp ids, flags, sides, statuses, symbols,
 * currencies, reasons): their values are interned, so a repeated value is one shared string.
 */
const INTERNED_TAGS: Uint8Array = tagTable([49, 56, 43, 97, 20, 150, 39, 54, 55, 48, 22, 40, 59, 15, 1, 30, 103, 102, 434, 372, 371, 373, 380, 123, 141, 108]);

const HEADER_TAGS = [34, 49, 56, 52, 43, 97, 122];
/** The tags each row kind has a column for (its loop skips the others). */
const ORDER_ROW_TAGS: Uint8Array = tagTable([...HEADER_TAGS, ...ORDER_EVENT_FIELDS.map(([tag]) => tag)]);
const SESSION_ROW_TAGS: Uint8Array = tagTable([...HEADER_TAGS, ...SESSION_EVENT_FIELDS.map(([tag]) => tag)]);

function tagTable(tags: readonly number[]): Uint8Array {
  const t = new Uint8Array(TAG_TABLE_SIZE);
  for (const tag of tags) t[tag] = 1;
  return t;
}

export class FixRowBuilder implements TagReader {
  readonly analysis = new FixMessageAnalysis(NAMED_TAGS);
  private readonly values = new FixValueDecoder();
  private s!: FixScanner;
  /** slot → its tag (the inverse of analysis.slotOf for the slots in use). */
  private readonly tagOfSlot: Int32Array;

  constructor() {
    const slotOf = this.analysis.slotOf;
    this.tagOfSlot = new Int32Array(NAMED_TAGS.length + 1);
    for (let tag = 0; tag < slotOf.length; tag++) if (slotOf[tag] !== 0) this.tagOfSlot[slotOf[tag]] = tag;
  }

  /** Analyses the scanner's current message; call before the row methods. */
  load(s: FixScanner): void {
    this.s = s;
    this.values.load(s);
    this.analysis.analyze(s);
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
    const last = this.lastBeginString;
    const start = s.valueStart[0];
    const len = s.valueEnd[0] - start;
    if (len === last.length && (s.valueBits & 0x80) === 0) {
      const buf = s.buf;
      let x = 0;
      while (x < len && last.charCodeAt(x) === buf[start + x]) x++;
      if (x === len) return last;
    }
    return (this.lastBeginString = this.values.interned(0));
  }
  private lastBeginString = '';

  msgType(): string {
    return this.values.value(this.s.msgTypeIndex);
  }

  /** True when the message carries ClOrdID, OrderID or ExecID. */
  hasOrderKeys(): boolean {
    return this.analysis.named(11) >= 0 || this.analysis.named(37) >= 0 || this.analysis.named(17) >= 0;
  }

  /** The value of a named tag (see NAMED_TAGS), or null. */
  tagValue(tag: number): string | null {
    const k = this.analysis.named(tag);
    return k < 0 ? null : this.text(k, tag);
  }

  private duplicates(): string | null {
    const d = this.analysis.duplicateTags;
    return d.length ? d.join(',') : null;
  }

  private groupErrors(): string | null {
    const g = this.analysis.groupErrors;
    return g.length ? g.join('; ') : null;
  }

  orderRow(beginString: string, msgType: string, messageIndex: number, base: number): ParserRow {
    const s = this.s;
    const a = this.analysis;
    const slotsSet = a.slotsSet;
    const slotIndex = a.slotIndex;
    const tagOfSlot = this.tagOfSlot;
    const fields = this.values.fieldsJson();
    const n = a.slotsSetCount;
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
    // literal below is built from registers and nothing old points at new strings.
    for (let j = 0; j < n; j++) {
      const slot = slotsSet[j];
      const tag = tagOfSlot[slot];
      if (ORDER_ROW_TAGS[tag] === 0) continue;
      const v = this.text(slotIndex[slot], tag);
      switch (tag) {
        case 34:
          t34 = v;
          break;
        case 49:
          t49 = v;
          break;
        case 56:
          t56 = v;
          break;
        case 52:
          t52 = v;
          break;
        case 43:
          t43 = v;
          break;
        case 97:
          t97 = v;
          break;
        case 122:
          t122 = v;
          break;
        case 11:
          t11 = v;
          break;
        case 41:
          t41 = v;
          break;
        case 37:
          t37 = v;
          break;
        case 198:
          t198 = v;
          break;
        case 17:
          t17 = v;
          break;
        case 19:
          t19 = v;
          break;
        case 20:
          t20 = v;
          break;
        case 150:
          t150 = v;
          break;
        case 39:
          t39 = v;
          break;
        case 54:
          t54 = v;
          break;
        case 55:
          t55 = v;
          break;
        case 48:
          t48 = v;
          break;
        case 22:
          t22 = v;
          break;
        case 38:
          t38 = v;
          break;
        case 40:
          t40 = v;
          break;
        case 44:
          t44 = v;
          break;
        case 59:
          t59 = v;
          break;
        case 32:
          t32 = v;
          break;
        case 31:
          t31 = v;
          break;
        case 14:
          t14 = v;
          break;
        case 151:
          t151 = v;
          break;
        case 6:
          t6 = v;
          break;
        case 15:
          t15 = v;
          break;
        case 1:
          t1 = v;
          break;
        case 30:
          t30 = v;
          break;
        case 75:
          t75 = v;
          break;
        case 64:
          t64 = v;
          break;
        case 60:
          t60 = v;
          break;
        case 58:
          t58 = v;
          break;
        case 103:
          t103 = v;
          break;
        case 102:
          t102 = v;
          break;
        case 434:
          t434 = v;
          break;
        case 571:
          t571 = v;
          break;
        case 880:
          t880 = v;
          break;
      }
    }
    const lifecycle = eventOf(msgType, this);
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
    const a = this.analysis;
    const slotsSet = a.slotsSet;
    const slotIndex = a.slotIndex;
    const tagOfSlot = this.tagOfSlot;
    const fields = this.values.fieldsJson();
    const n = a.slotsSetCount;
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
    // literal below is built from registers and nothing old points at new strings.
    for (let j = 0; j < n; j++) {
      const slot = slotsSet[j];
      const tag = tagOfSlot[slot];
      if (SESSION_ROW_TAGS[tag] === 0) continue;
      const v = this.text(slotIndex[slot], tag);
      switch (tag) {
        case 34:
          t34 = v;
          break;
        case 49:
          t49 = v;
          break;
        case 56:
          t56 = v;
          break;
        case 52:
          t52 = v;
          break;
        case 43:
          t43 = v;
          break;
        case 97:
          t97 = v;
          break;
        case 122:
          t122 = v;
          break;
        case 45:
          t45 = v;
          break;
        case 372:
          t372 = v;
          break;
        case 371:
          t371 = v;
          break;
        case 373:
          t373 = v;
          break;
        case 380:
          t380 = v;
          break;
        case 7:
          t7 = v;
          break;
        case 16:
          t16 = v;
          break;
        case 36:
          t36 = v;
          break;
        case 123:
          t123 = v;
          break;
        case 112:
          t112 = v;
          break;
        case 141:
          t141 = v;
          break;
        case 108:
          t108 = v;
          break;
        case 58:
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
