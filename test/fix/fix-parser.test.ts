import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { POSITION_COLUMNS } from '../../lib/parsers/parser-types';
import { fixParser, ORDER_EVENT_COLUMNS, SESSION_EVENT_COLUMNS, LIFECYCLE_EVENTS } from '../../lib/fix/index';
import { fixMsg, parseAll, spanOf } from './fix-test-helpers';

// The streaming parser as the pipeline sees it: outputs, columns, positions, batching, summary.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const LOG = [
  `2024-01-02 03:04:05 IN ${fixMsg('FIX.4.4', '35=A|34=1|49=BUY|56=SELL|52=20240102-03:04:05|98=0|108=30|')}`,
  fixMsg('FIX.4.4', '35=D|34=2|49=BUY|56=SELL|52=20240102-03:04:05.123|11=C1|1=ACC|55=IBM|54=1|38=100|40=2|44=101.25|59=0|60=20240102-03:04:05.123|'),
  fixMsg('FIX.4.4', '35=8|34=3|49=SELL|56=BUY|52=20240102-03:04:06|37=O1|11=C1|17=E1|150=0|39=0|55=IBM|54=1|38=100|14=0|151=100|6=0|'),
  `# operator note`,
  fixMsg('FIX.4.4', '35=8|34=4|49=SELL|56=BUY|52=20240102-03:04:07|37=O1|11=C1|17=E2|150=F|39=1|55=IBM|54=1|38=100|32=40|31=101.25|14=40|151=60|6=101.25|75=20240102|64=20240104|'),
  `35=8\x0117=orphan\x01`,
  fixMsg('FIX.4.4', '35=V|34=5|49=BUY|56=SELL|262=R1|'),
  fixMsg('FIX.4.4', '35=2|34=6|49=SELL|56=BUY|7=2|16=0|'),
  fixMsg('FIX.4.4', '35=AE|34=7|49=SELL|56=BUY|571=TR1|552=1|54=1|37=O1|11=C1|'),
  fixMsg('FIX.4.4', '35=5|34=8|49=BUY|56=SELL|58=bye "now"|'),
].join('\n') + '\n';

describe('fixParser definition', () => {
  it('declares id, version, outputs and the error output', () => {
    expect(fixParser.id).toBe('fix');
    expect(fixParser.version).toBe('1.0.0');
    expect(fixParser.outputs.map((o) => o.name)).toEqual(['fix_order_events', 'fix_session_events']);
    expect(fixParser.errorOutput).toBe('fix_parse_errors');
  });

  it('logic_hash is sha256 over lib/fix/*.ts sorted, tests excluded', () => {
    const dir = path.join(ROOT, 'lib/fix');
    const hash = createHash('sha256');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts')).sort()) {
      hash.update(f);
      hash.update('\0');
      hash.update(readFileSync(path.join(dir, f)));
      hash.update('\0');
    }
    expect(fixParser.logicHash()).toBe(hash.digest('hex'));
  });

  it('sniffs FIX from the first bytes', () => {
    expect(fixParser.sniff(Buffer.from(LOG, 'latin1'))).toBeGreaterThan(0.9);
    expect(fixParser.sniff(Buffer.from('exec_id,symbol,side\n1,IBM,BUY\n'))).toBe(0);
  });
});

describe('fixParser.parse', () => {
  it('routes messages to outputs with every declared column, in order, plus the position columns', async () => {
    const r = await parseAll(LOG);
    expect(r.orders.map((x) => x.msg_type)).toEqual(['D', '8', '8', 'AE']);
    expect(r.sessions.map((x) => x.msg_type)).toEqual(['A', '2', '5']);
    for (const row of r.orders) expect(Object.keys(row)).toEqual([...ORDER_EVENT_COLUMNS.map((c) => c.name), ...POSITION_COLUMNS]);
    for (const row of r.sessions) expect(Object.keys(row)).toEqual([...SESSION_EVENT_COLUMNS.map((c) => c.name), ...POSITION_COLUMNS]);
    expect(r.errors.map((e) => e.code)).toEqual(['fix.no_begin_string']);
    expect(r.summary.messages).toBe(8); // the V message counts, but goes to no output
  });

  it('keeps values as exact text and flags as booleans', async () => {
    const r = await parseAll(LOG);
    const fill = r.orders[2];
    expect(fill).toMatchObject({
      cl_ord_id: 'C1', order_id: 'O1', exec_id: 'E2', exec_type: 'F', ord_status: '1', last_qty: '40', last_px: '101.25',
      cum_qty: '40', leaves_qty: '60', avg_px: '101.25', trade_date: '20240102', settl_date: '20240104', sending_time: '20240102-03:04:07',
      msg_seq_num: '4', lifecycle_event: 'partial_fill', body_length_ok: true, checksum_ok: true, checksum_present: true,
      duplicate_tags: null, group_errors: null, price: null,
    });
    expect(r.orders[0]).toMatchObject({ price: '101.25', lifecycle_event: 'new_order', transact_time: '20240102-03:04:05.123' });
    expect(r.orders[1].lifecycle_event).toBe('ack');
    expect(r.orders[3]).toMatchObject({ lifecycle_event: 'trade_capture', trade_report_id: 'TR1', cl_ord_id: 'C1', side: '1' });
    expect(r.sessions[1]).toMatchObject({ begin_seq_no: '2', end_seq_no: '0' });
  });

  it('writes fields as JSON of every tag and value in order', async () => {
    const r = await parseAll(LOG);
    const bye = r.sessions[2];
    expect(bye.text).toBe('bye "now"');
    expect(JSON.parse(bye.fields as string)).toEqual([
      [8, 'FIX.4.4'], [9, expect.any(String)], [35, '5'], [34, '8'], [49, 'BUY'], [56, 'SELL'], [58, 'bye "now"'], [10, expect.any(String)],
    ]);
  });

  it('gives positions: line, message index (session messages included), exact byte span, row id', async () => {
    const bytes = Buffer.from(LOG, 'latin1');
    const r = await parseAll(bytes);
    const all = [...r.orders, ...r.sessions].sort((a, b) => (a.message_index as number) - (b.message_index as number));
    expect(all.map((x) => x.message_index)).toEqual([0, 1, 2, 3, 5, 6, 7]);
    expect(all.map((x) => x.line_number)).toEqual([1, 2, 3, 5, 8, 9, 10]);
    for (const row of all) {
      expect(row.__cf_row_id).toBe(row.message_index);
      const span = spanOf(bytes, row);
      expect(span.startsWith('8=FIX')).toBe(true);
      expect(span).toMatch(/\x0110=\d{3}\x01$/);
    }
    expect(r.errors[0]).toMatchObject({ line_number: 6, source_offset: LOG.indexOf('35=8\x0117=orphan') });
  });

  it('gives the same rows whatever the chunk size (messages across chunk boundaries)', async () => {
    const whole = await parseAll(LOG);
    for (const size of [1, 2, 3, 5, 17, 64, 1000]) {
      const r = await parseAll(LOG, size);
      expect(r.orders).toEqual(whole.orders);
      expect(r.sessions).toEqual(whole.sessions);
      expect(r.errors).toEqual(whole.errors);
      expect(r.summary).toEqual(whole.summary);
    }
  });

  it('applies baseOffset, baseLine and baseMessageIndex (byte-range workers)', async () => {
    const r = await parseAll(LOG, 50, { baseOffset: 1000, baseLine: 100, baseMessageIndex: 40 });
    const whole = await parseAll(LOG);
    expect(r.orders.map((x) => x.source_offset)).toEqual(whole.orders.map((x) => (x.source_offset as number) + 1000));
    expect(r.orders.map((x) => x.line_number)).toEqual(whole.orders.map((x) => (x.line_number as number) + 99));
    expect(r.orders.map((x) => x.message_index)).toEqual(whole.orders.map((x) => (x.message_index as number) + 40));
    expect(r.errors[0].source_offset).toBe((whole.errors[0].source_offset as number) + 1000);
  });

  it('batches rows by batchSize and keeps file order within an output', async () => {
    const many = Array.from({ length: 25 }, (_, i) => fixMsg('FIX.4.4', `35=D|34=${i}|11=C${i}|`)).join('\n');
    const r = await parseAll(many, 40, { batchSize: 10 });
    const sizes = r.batches.filter((b) => b.output === 'fix_order_events').map((b) => b.rows.length);
    expect(sizes.every((n) => n <= 10)).toBe(true);
    expect(r.orders.map((x) => x.cl_ord_id)).toEqual(Array.from({ length: 25 }, (_, i) => `C${i}`));
  });

  it('summarises msg types, integrity, delimiter, rows and parse errors', async () => {
    const r = await parseAll(LOG);
    expect(r.summary).toMatchObject({
      format: 'fix',
      delimiter: 'SOH',
      messages: 8,
      bytesRead: Buffer.byteLength(LOG, 'latin1'),
      rowsPerOutput: { fix_order_events: 4, fix_session_events: 3, fix_parse_errors: 1 },
      parseErrors: { 'fix.no_begin_string': 1 },
    });
    expect(r.summary.details).toMatchObject({
      msg_types: { A: 1, D: 1, '8': 2, V: 1, '2': 1, AE: 1, '5': 1 },
      integrity: { body_length_mismatch: 0, checksum_mismatch: 0, missing_checksum: 0 },
      delimiter: 'SOH',
    });
  });

  it('sends any application message carrying 11, 37 or 17 to order events', async () => {
    const r = await parseAll(fixMsg('FIX.4.4', '35=J|70=AL1|37=O1|'));
    expect(r.orders.map((x) => [x.msg_type, x.lifecycle_event])).toEqual([['J', 'other']]);
  });

  it('declares lifecycle_event as an enum of the agreed events', () => {
    const col = ORDER_EVENT_COLUMNS.find((c) => c.name === 'lifecycle_event');
    expect(col?.type).toEqual({ kind: 'enum', values: [...LIFECYCLE_EVENTS] });
  });

  it('parses an empty input to an empty summary', async () => {
    const r = await parseAll('');
    expect(r.summary).toMatchObject({ messages: 0, delimiter: null, bytesRead: 0 });
  });
});
