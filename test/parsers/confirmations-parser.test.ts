import { describe, expect, it } from 'vitest';
import { confirmationsParser } from '../../lib/parsers/confirmations';
import type { ParserRow } from '../../lib/parsers/parser-types';
import { parseBytes } from './parse-all';

const utf8 = (s: string) => new TextEncoder().encode(s);
const ROWS = 'confirmations';
const ERRORS = 'confirmations_parse_errors';

/** The business cells of a row (position columns left out). */
function cells(row: ParserRow): Record<string, unknown> {
  const { line_number, message_index, source_offset, source_length, __cf_row_id, ...rest } = row;
  void line_number, message_index, source_offset, source_length, __cf_row_id;
  return rest;
}

/** The bytes a row's span points at, as text. */
function spanText(file: Uint8Array, row: ParserRow): string {
  const start = row.source_offset as number;
  return new TextDecoder().decode(file.subarray(start, start + (row.source_length as number)));
}

describe('confirmations_csv parser: declaration', () => {
  it('declares id, version, the confirmations output with the agreed intent, and its error output', () => {
    expect(confirmationsParser.id).toBe('confirmations_csv');
    expect(confirmationsParser.version).toBe('1.0.0');
    expect(confirmationsParser.errorOutput).toBe('confirmations_parse_errors');
    expect(confirmationsParser.outputs.map((o) => o.name)).toEqual(['confirmations']);
    const byName = Object.fromEntries(confirmationsParser.outputs[0].columns.map((c) => [c.name, c]));
    expect(Object.keys(byName)).toEqual([
      'exec_id', 'cl_ord_id', 'order_id', 'symbol', 'side', 'quantity', 'price', 'currency',
      'trade_date', 'settl_date', 'transact_time', 'account', 'counterparty',
    ]);
    expect(byName.quantity).toEqual({ name: 'quantity', type: { kind: 'decimal', precision: 18, scale: 4 }, nullable: false });
    expect(byName.price.type).toEqual({ kind: 'decimal', precision: 18, scale: 8 });
    expect(byName.side.type).toEqual({ kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT'] });
    expect(byName.trade_date).toMatchObject({ type: 'date', nullable: false, format: 'yyyy-MM-dd' });
    expect(byName.transact_time).toMatchObject({ type: { kind: 'timestamp_tz', tz: 'UTC' }, format: 'iso8601', nullable: true });
    expect(byName.exec_id.nullable).toBe(false);
    expect(byName.symbol.nullable).toBe(false);
    expect(byName.account.nullable).toBe(true);
  });

  it('reports a logic hash of its sources (sha256 hex, stable within a process)', () => {
    expect(confirmationsParser.logicHash()).toMatch(/^[0-9a-f]{64}$/);
    expect(confirmationsParser.logicHash()).toBe(confirmationsParser.logicHash());
  });
});

describe('confirmations_csv parser: reading', () => {
  it('reads every cell as exact text, with the file\'s columns and position metadata', async () => {
    const file = utf8('exec_id,quantity,price,trade_date\nE1,00100.5000,1e3,2024-01-02\nE2,,-0.50,\n');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS]).toEqual([
      { exec_id: 'E1', quantity: '00100.5000', price: '1e3', trade_date: '2024-01-02', line_number: 2, message_index: 0, source_offset: 34, source_length: 28, __cf_row_id: 1 },
      { exec_id: 'E2', quantity: '', price: '-0.50', trade_date: '', line_number: 3, message_index: 1, source_offset: 63, source_length: 10, __cf_row_id: 2 },
    ]);
    expect(byOutput[ROWS].map((r) => spanText(file, r))).toEqual(['E1,00100.5000,1e3,2024-01-02', 'E2,,-0.50,']);
    expect(byOutput[ERRORS]).toBeUndefined();
    expect(summary).toMatchObject({
      format: 'csv', delimiter: ',', messages: 2, bytesRead: file.length,
      rowsPerOutput: { confirmations: 2 }, parseErrors: {},
    });
    expect(summary.details).toMatchObject({ columns: ['exec_id', 'quantity', 'price', 'trade_date'], bom: false, data_records: 2 });
  });

  it('normalises header names: trimmed, lower case, spaces and "-" become "_"', async () => {
    const { byOutput, summary } = await parseBytes(confirmationsParser, utf8(' Exec ID ,CL-ORD-ID,Trade  Date,settl - date,\na,b,c,d,e\n'));
    expect(summary.details.columns).toEqual(['exec_id', 'cl_ord_id', 'trade_date', 'settl_date', 'column_5']);
    expect(summary.details.header_cells).toEqual([' Exec ID ', 'CL-ORD-ID', 'Trade  Date', 'settl - date', '']);
    expect(cells(byOutput[ROWS][0])).toEqual({ exec_id: 'a', cl_ord_id: 'b', trade_date: 'c', settl_date: 'd', column_5: 'e' });
  });

  it('strips a UTF-8 BOM from the first header name but keeps it in the byte offsets', async () => {
    const file = utf8('\ufeffexec_id,price\r\nE1,1.5\r\n');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(summary.details).toMatchObject({ bom: true, columns: ['exec_id', 'price'] });
    expect(byOutput[ROWS][0]).toMatchObject({ exec_id: 'E1', price: '1.5', source_offset: 3 + 15, source_length: 6, line_number: 2 });
    expect(spanText(file, byOutput[ROWS][0])).toBe('E1,1.5');
  });

  it.each([
    [';', 'exec_id;price;note\nE1;1,5;a,b\n', { exec_id: 'E1', price: '1,5', note: 'a,b' }],
    ['\t', 'exec_id\tprice\tnote\nE1\t1.5\ta;b, c\n', { exec_id: 'E1', price: '1.5', note: 'a;b, c' }],
    [',', 'exec_id,price,note\nE1,1.5,a;b\tc\n', { exec_id: 'E1', price: '1.5', note: 'a;b\tc' }],
  ])('detects the delimiter %j from the header line', async (delimiter, text, expected) => {
    const { byOutput, summary } = await parseBytes(confirmationsParser, utf8(text));
    expect(summary.delimiter).toBe(delimiter);
    expect(cells(byOutput[ROWS][0])).toEqual(expected);
  });

  it('detects the delimiter from unquoted header text only', async () => {
    const { summary } = await parseBytes(confirmationsParser, utf8('"a,b,c";d;e\n1;2;3\n'));
    expect(summary.delimiter).toBe(';');
    expect(summary.details.columns).toEqual(['a,b,c', 'd', 'e']);
  });

  it('reads quoted fields holding delimiters, CRLF and LF newlines and doubled quotes', async () => {
    const file = utf8('exec_id,text,price\r\n"E1","a, b",1\r\nE2,"line1\r\nline2\nline3",2\r\nE3,"say ""hi""",3\r\nE4,"",4\r\n');
    const { byOutput } = await parseBytes(confirmationsParser, file);
    const rows = byOutput[ROWS];
    expect(rows.map(cells)).toEqual([
      { exec_id: 'E1', text: 'a, b', price: '1' },
      { exec_id: 'E2', text: 'line1\r\nline2\nline3', price: '2' },
      { exec_id: 'E3', text: 'say "hi"', price: '3' },
      { exec_id: 'E4', text: '', price: '4' },
    ]);
    // line_number is the line of the record's first byte; a quoted CRLF is one line break.
    expect(rows.map((r) => r.line_number)).toEqual([2, 3, 6, 7]);
    expect(rows.map((r) => spanText(file, r))).toEqual([
      '"E1","a, b",1', 'E2,"line1\r\nline2\nline3",2', 'E3,"say ""hi""",3', 'E4,"",4',
    ]);
  });

  it('gives exact byte spans with multi-byte UTF-8 text', async () => {
    const file = utf8('exec_id,counterparty,symbol\nE1,Société Générale,7203.T\nE2,"東京, 証券",€UR\nE3,😀,x\n');
    const { byOutput } = await parseBytes(confirmationsParser, file);
    const rows = byOutput[ROWS];
    expect(rows.map((r) => r.counterparty)).toEqual(['Société Générale', '東京, 証券', '😀']);
    expect(rows.map((r) => spanText(file, r))).toEqual(['E1,Société Générale,7203.T', 'E2,"東京, 証券",€UR', 'E3,😀,x']);
    // offsets count bytes, not characters
    expect(rows[1].source_offset).toBe(utf8('exec_id,counterparty,symbol\nE1,Société Générale,7203.T\n').length);
  });

  it('accepts a last record without a newline, blank lines and lone CR line endings', async () => {
    const file = utf8('a,b\r\r\n1,2\r3,4\n\n5,6');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS].map(cells)).toEqual([{ a: '1', b: '2' }, { a: '3', b: '4' }, { a: '5', b: '6' }]);
    expect(byOutput[ROWS].map((r) => r.line_number)).toEqual([3, 4, 6]);
    expect(byOutput[ROWS].map((r) => spanText(file, r))).toEqual(['1,2', '3,4', '5,6']);
    expect(summary.details).toMatchObject({ blank_lines: 2, data_records: 3 });
  });

  it('turns a record with the wrong number of cells into a parse error and keeps reading', async () => {
    const file = utf8('exec_id,price\nE1,1\nE2\nE3,3,extra\nE4,4\n');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS].map((r) => [r.exec_id, r.__cf_row_id, r.message_index, r.line_number])).toEqual([['E1', 1, 0, 2], ['E4', 4, 3, 5]]);
    expect(byOutput[ERRORS]).toEqual([
      { code: 'csv.wrong_cell_count', message: 'record has 1 cell, the header has 2', raw: 'E2', line_number: 3, source_offset: 19, source_length: 2 },
      { code: 'csv.wrong_cell_count', message: 'record has 3 cells, the header has 2', raw: 'E3,3,extra', line_number: 4, source_offset: 22, source_length: 10 },
    ]);
    expect(summary.parseErrors).toEqual({ 'csv.wrong_cell_count': 2 });
    expect(summary.messages).toBe(2);
  });

  it('turns broken quoting into a parse error without losing the next records', async () => {
    const file = utf8('exec_id,text,price\nE1,"ok",1\nE2,"bad"x,2\nE3,ab"c,3\nE4, "lead",4\nE5,fine,5\n');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS].map((r) => r.exec_id)).toEqual(['E1', 'E5']);
    expect(byOutput[ERRORS].map((e) => [e.code, e.line_number, e.raw])).toEqual([
      ['csv.bad_quoting', 3, 'E2,"bad"x,2'],
      ['csv.bad_quoting', 4, 'E3,ab"c,3'],
      ['csv.bad_quoting', 5, 'E4, "lead",4'],
    ]);
    for (const e of byOutput[ERRORS]) expect(spanText(file, e)).toBe(e.raw);
    expect(summary.parseErrors).toEqual({ 'csv.bad_quoting': 3 });
    expect(byOutput[ROWS][1]).toMatchObject({ line_number: 6, __cf_row_id: 5 });
  });

  it('reports a quote left open at the end of the file as broken quoting', async () => {
    const file = utf8('exec_id,text\nE1,a\nE2,"never closed\nE3,b\n');
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS].map((r) => r.exec_id)).toEqual(['E1']);
    expect(byOutput[ERRORS]).toEqual([
      expect.objectContaining({ code: 'csv.bad_quoting', line_number: 3, source_offset: 18, source_length: file.length - 18 }),
    ]);
    expect(summary.parseErrors).toEqual({ 'csv.bad_quoting': 1 });
  });

  it('stops on a record larger than the maximum record size (an unclosed quote in a large file)', async () => {
    const file = utf8(`exec_id,text\nE1,a\nE2,"${'x'.repeat(5_000_000)}\nE3,b\n`);
    const { byOutput, summary } = await parseBytes(confirmationsParser, file);
    expect(byOutput[ROWS].map((r) => r.exec_id)).toEqual(['E1']);
    expect(summary.parseErrors).toEqual({ 'csv.record_too_large': 1 });
    const [error] = byOutput[ERRORS];
    expect(error).toMatchObject({ code: 'csv.record_too_large', line_number: 3, source_offset: 18 });
    expect(Object.keys(error).sort()).toEqual(['code', 'line_number', 'message', 'raw', 'source_length', 'source_offset']);
    expect(error.raw).toHaveLength(2048);
  });

  it('refuses a header whose names collide after normalisation', async () => {
    const { byOutput, summary } = await parseBytes(confirmationsParser, utf8('Exec ID,exec-id,price\nE1,E1b,1\n'));
    expect(byOutput[ROWS]).toBeUndefined();
    expect(byOutput[ERRORS]).toEqual([expect.objectContaining({ code: 'csv.duplicate_header', line_number: 1, raw: 'Exec ID,exec-id,price' })]);
    expect(byOutput[ERRORS][0].message).toContain("both normalise to 'exec_id'");
    expect(summary.parseErrors).toEqual({ 'csv.duplicate_header': 1 });
  });

  it('refuses a header naming a position column', async () => {
    const { byOutput } = await parseBytes(confirmationsParser, utf8('exec_id,Line Number\nE1,7\n'));
    expect(byOutput[ROWS]).toBeUndefined();
    expect(byOutput[ERRORS].map((e) => e.code)).toEqual(['csv.reserved_header']);
  });

  it('reports an empty file and a file of blank lines as missing their header', async () => {
    for (const text of ['', '\r\n\n']) {
      const { byOutput, summary } = await parseBytes(confirmationsParser, utf8(text));
      expect(byOutput[ROWS]).toBeUndefined();
      expect(summary.parseErrors).toEqual({ 'csv.missing_header': 1 });
      expect(summary.messages).toBe(0);
    }
  });

  it('refuses UTF-16 input', async () => {
    const { summary } = await parseBytes(confirmationsParser, new Uint8Array([0xff, 0xfe, 0x61, 0x00, 0x0a, 0x00]));
    expect(summary.parseErrors).toEqual({ 'csv.unsupported_encoding': 1 });
  });

  it('gives the same rows, errors and spans whatever the chunk size', async () => {
    const file = utf8('\ufeffexec_id;text;px\r\nE1;"a;\r\nb";1\r\nE2;2\r\nE3;"x""y";é\r\n\r\nE4;"q"z;1\nE5;ü;2\rE6;"open');
    const whole = await parseBytes(confirmationsParser, file);
    for (const size of [1, 2, 3, 5, 7]) {
      const chunked = await parseBytes(confirmationsParser, file, size, { batchSize: 2 });
      expect(chunked.byOutput).toEqual(whole.byOutput);
      expect(chunked.summary).toEqual(whole.summary);
    }
    expect(whole.byOutput[ROWS].map((r) => r.exec_id)).toEqual(['E1', 'E3', 'E5']);
  });

  it('applies base offset, line and message index for a byte range', async () => {
    const { byOutput } = await parseBytes(confirmationsParser, utf8('a,b\n1,2\n'), 1 << 20, { baseOffset: 1000, baseLine: 50, baseMessageIndex: 10 });
    expect(byOutput[ROWS][0]).toMatchObject({ source_offset: 1004, source_length: 3, line_number: 51, message_index: 10, __cf_row_id: 11 });
  });

  it('emits rows in batches no larger than batchSize', async () => {
    const text = 'a\n' + Array.from({ length: 25 }, (_, i) => `${i}`).join('\n') + '\n';
    const sizes: number[] = [];
    for await (const batch of confirmationsParser.parse((async function* () { yield utf8(text); })(), { batchSize: 10 })) {
      sizes.push(batch.rows.length);
    }
    expect(sizes).toEqual([10, 10, 5]);
  });
});

describe('confirmations_csv parser: sniff', () => {
  it('scores a confirmations header high, other text low, FIX and binary zero', () => {
    const conf = confirmationsParser.sniff(utf8('exec_id,cl_ord_id,symbol,side,quantity,price\nE1,C1,IBM,BUY,100,1.5\n'));
    const otherCsv = confirmationsParser.sniff(utf8('foo;bar\n1;2\n'));
    const plain = confirmationsParser.sniff(utf8('hello world\n'));
    expect(conf).toBeGreaterThan(0.8);
    expect(otherCsv).toBeGreaterThan(plain);
    expect(conf).toBeGreaterThan(otherCsv);
    expect(plain).toBeGreaterThan(0);
    expect(confirmationsParser.sniff(utf8('8=FIX.4.4\x019=5\x0135=0\x0110=000\x01'))).toBe(0);
    expect(confirmationsParser.sniff(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0xff]))).toBe(0);
  });
});
