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
const INTERNED_TAGS: Uint8Array = (() => {
  const t = new Uint8Array(TAG_TABLE_SIZE);
  for (const tag of [49, 56, 43, 97, 20, 150, 39, 54, 55, 48, 22, 40, 59, 15, 1, 30, 103, 102, 434, 372, 371, 373, 380, 123, 141, 108]) t[tag] = 1;
  return t;
})();

export class FixRowBuilder implements TagReader {
  readonly analysis = new FixMessageAnalysis(NAMED_TAGS);
  private readonly values = new FixValueDecoder();
  private s!: FixScanner;
  /** slot → its tag (the inverse of analysis.slotOf for the slots in use). */
  private readonly tagOfSlot: Int32Array;
  /**
   * tag → decoded value of the current message (first occurrence outside groups, else inside
   * one; null when absent or empty), for the named tags; filled once per row by decode(), so
   * the row literals below read constant indices instead of calling a lookup per column.
   */
  private readonly byTag: (string | null)[] = new Array<string | null>(TAG_TABLE_SIZE).fill(null);
  /** Tags set in byTag for the current message (cleared at the next decode). */
  private readonly setTags = new Int32Array(TAG_TABLE_SIZE);
  private setCount = 0;
  private decoded = false;

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
    this.decoded = false;
  }

  /** Decodes every named tag present in the message into byTag (once per message). */
  private decode(): (string | null)[] {
    const byTag = this.byTag;
    if (this.decoded) return byTag;
    this.decoded = true;
    const setTags = this.setTags;
    for (let j = 0; j < this.setCount; j++) byTag[setTags[j]] = null;
    let count = 0;
    const a = this.analysis;
    const slotsSet = a.slotsSet;
    const slotIndex = a.slotIndex;
    const tagOfSlot = this.tagOfSlot;
    const s = this.s;
    const valueStart = s.valueStart;
    const valueEnd = s.valueEnd;
    const values = this.values;
    const n = a.slotsSetCount;
    for (let j = 0; j < n; j++) {
      const slot = slotsSet[j];
      const k = slotIndex[slot];
      if (k < 0 || valueEnd[k] === valueStart[k]) continue;
      const tag = tagOfSlot[slot];
      byTag[tag] = INTERNED_TAGS[tag] === 1 ? values.interned(k) : values.value(k);
      setTags[count++] = tag;
    }
    this.setCount = count;
    return byTag;
  }

  /** BeginString (interned: one string for a run of messages of one version). */
  beginString(): string {
    return this.values.interned(0);
  }

  msgType(): string {
    return this.values.value(this.s.msgTypeIndex);
  }

  /** True when the message carries ClOrdID, OrderID or ExecID. */
  hasOrderKeys(): boolean {
    return this.analysis.named(11) >= 0 || this.analysis.named(37) >= 0 || this.analysis.named(17) >= 0;
  }

  /** The value of a named tag (see NAMED_TAGS), or null. */
  tagValue(tag: number): string | null {
    return tag < TAG_TABLE_SIZE ? this.decode()[tag] : null;
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
    const t = this.decode();
    return {
      begin_string: beginString,
      msg_type: msgType,
      msg_seq_num: t[34],
      sender_comp_id: t[49],
      target_comp_id: t[56],
      sending_time: t[52],
      poss_dup_flag: t[43],
      poss_resend: t[97],
      orig_sending_time: t[122],
      cl_ord_id: t[11],
      orig_cl_ord_id: t[41],
      order_id: t[37],
      secondary_order_id: t[198],
      exec_id: t[17],
      exec_ref_id: t[19],
      exec_trans_type: t[20],
      exec_type: t[150],
      ord_status: t[39],
      side: t[54],
      symbol: t[55],
      security_id: t[48],
      security_id_source: t[22],
      order_qty: t[38],
      ord_type: t[40],
      price: t[44],
      time_in_force: t[59],
      last_qty: t[32],
      last_px: t[31],
      cum_qty: t[14],
      leaves_qty: t[151],
      avg_px: t[6],
      currency: t[15],
      account: t[1],
      last_mkt: t[30],
      trade_date: t[75],
      settl_date: t[64],
      transact_time: t[60],
      text: t[58],
      ord_rej_reason: t[103],
      cxl_rej_reason: t[102],
      cxl_rej_response_to: t[434],
      trade_report_id: t[571],
      trd_match_id: t[880],
      lifecycle_event: eventOf(msgType, this),
      body_length_ok: s.bodyLengthOk,
      checksum_ok: s.checksumOk,
      checksum_present: s.checksumPresent,
      duplicate_tags: this.duplicates(),
      group_errors: this.groupErrors(),
      fields: this.values.fieldsJson(),
      line_number: s.msgLine,
      message_index: messageIndex,
      source_offset: base + s.msgStart,
      source_length: s.msgEnd - s.msgStart,
      __cf_row_id: messageIndex,
    };
  }

  sessionRow(beginString: string, msgType: string, messageIndex: number, base: number): ParserRow {
    const s = this.s;
    const t = this.decode();
    return {
      begin_string: beginString,
      msg_type: msgType,
      msg_seq_num: t[34],
      sender_comp_id: t[49],
      target_comp_id: t[56],
      sending_time: t[52],
      poss_dup_flag: t[43],
      poss_resend: t[97],
      orig_sending_time: t[122],
      ref_seq_num: t[45],
      ref_msg_type: t[372],
      ref_tag_id: t[371],
      session_reject_reason: t[373],
      business_reject_reason: t[380],
      begin_seq_no: t[7],
      end_seq_no: t[16],
      new_seq_no: t[36],
      gap_fill_flag: t[123],
      test_req_id: t[112],
      reset_seq_num_flag: t[141],
      heart_bt_int: t[108],
      text: t[58],
      body_length_ok: s.bodyLengthOk,
      checksum_ok: s.checksumOk,
      checksum_present: s.checksumPresent,
      duplicate_tags: this.duplicates(),
      group_errors: this.groupErrors(),
      fields: this.values.fieldsJson(),
      line_number: s.msgLine,
      message_index: messageIndex,
      source_offset: base + s.msgStart,
      source_length: s.msgEnd - s.msgStart,
      __cf_row_id: messageIndex,
    };
  }
}
