import { describe, expect, it } from 'vitest';
import { parseFixMessage, parseFixMessages, serializeFixMessage, type ParsedFixMessage } from '../../lib/fix/index';
import { checksumOf, fixMsg, parseAll, soh, spanOf } from './fix-test-helpers';

// Framing of real-world log shapes, one case per test, from hand-written bytes.

const ORDER = fixMsg('FIX.4.2', '35=D|34=2|49=BUY|56=SELL|52=20240102-03:04:05.123|11=ORD1|55=IBM|54=1|38=100|40=2|44=12.50|');
const HEARTBEAT = fixMsg('FIX.4.4', '35=0|34=3|49=BUY|56=SELL|52=20240102-03:04:06|');

function only(input: string | Uint8Array): ParsedFixMessage {
  const all = parseFixMessages(input);
  expect(all.map((m) => m.kind)).toEqual(['message']);
  return all[0] as ParsedFixMessage;
}

function withDelimiter(message: string, d: string): string {
  return message.replace(/\x01/g, d);
}

describe('framing: delimiters', () => {
  it('reads a SOH message with every field in order and both checks passing', () => {
    const m = only(ORDER);
    expect(m.delimiter).toBe('SOH');
    expect(m.fields.map(([t]) => t)).toEqual([8, 9, 35, 34, 49, 56, 52, 11, 55, 54, 38, 40, 44, 10]);
    expect(m.fields[11]).toEqual([40, '2']);
    expect(m).toMatchObject({ msgType: 'D', bodyLengthOk: true, checksumOk: true, checksumPresent: true, offset: 0, length: ORDER.length });
  });

  it.each([
    ['|', '|'],
    ['^A', '^A'],
    ['\\u0001', '\\u0001'],
    ['\\x01', '\\x01'],
    [' | ', ' | '],
  ])('detects the %s delimiter and verifies 9/10 as if it were SOH', (text, name) => {
    const m = only(withDelimiter(ORDER, text));
    expect(m.delimiter).toBe(name);
    expect(m.bodyLengthOk).toBe(true);
    expect(m.checksumOk).toBe(true);
    expect(m.fields).toEqual(only(ORDER).fields);
  });

  it('detects the delimiter per message (a file mixing them)', async () => {
    const text = `${ORDER}\n${withDelimiter(HEARTBEAT, '|')}\n${withDelimiter(ORDER, '^A')}\n`;
    const r = await parseAll(text);
    expect(r.orders.length + r.sessions.length).toBe(3);
    expect(r.summary.delimiter).toBe('mixed');
    expect(r.summary.details.delimiters).toEqual({ SOH: 1, '|': 1, '^A': 1 });
    expect([...r.orders, ...r.sessions].every((row) => row.checksum_ok === true && row.body_length_ok === true)).toBe(true);
  });

  it('reports a BeginString followed by no known delimiter, and keeps reading', () => {
    const all = parseFixMessages(`8=FIX.4.2;9=5;35=0;\n${ORDER}`);
    expect(all.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(['fix.unknown_delimiter', 'D']);
  });
});

describe('framing: what surrounds a message', () => {
  it.each([
    ['a timestamp', '2024-01-02 03:04:05.123456 INFO FIX IN: '],
    ['an arrow', '<-- '],
    ['NUL bytes', '\x00\x00\x00'],
    ['a session id with digits before a space', 'SESSION-42 '],
  ])('skips a prefix: %s', (_name, prefix) => {
    const m = only(prefix + ORDER + '\n');
    expect(m.offset).toBe(prefix.length);
    expect(m.length).toBe(ORDER.length);
    expect(m.checksumOk).toBe(true);
  });

  it('reads a message inside a JSON wrapper', () => {
    const line = `{"ts":"2024-01-02T03:04:05Z","dir":"in","msg":"${withDelimiter(ORDER, '|')}"}\n`;
    const m = only(line);
    expect(m.delimiter).toBe('|');
    expect(m.checksumOk).toBe(true);
    expect(line.slice(m.offset, m.offset + m.length)).toBe(withDelimiter(ORDER, '|'));
  });

  it('reads a JSON wrapper where SOH is escaped as \\u0001', () => {
    const m = only(`{"msg":"${withDelimiter(ORDER, '\\u0001')}"}\n`);
    expect(m.delimiter).toBe('\\u0001');
    expect(m.bodyLengthOk && m.checksumOk).toBe(true);
  });

  it('ignores junk after 10=ddd (and the span ends after the checksum delimiter)', () => {
    const text = `${ORDER} <- ack 2024\n`;
    const m = only(text);
    expect(text.slice(m.offset, m.offset + m.length)).toBe(ORDER);
  });

  it('ends the span right after the digits when the checksum has no delimiter', () => {
    const bare = ORDER.slice(0, -1);
    const m = only(`${bare}\n`);
    expect(m.length).toBe(bare.length);
    expect(m.checksumOk).toBe(true);
  });

  it('skips comment lines, even ones quoting a message', () => {
    const all = parseFixMessages(`# 8=FIX.4.2|9=5|35=D|10=000|\n   # indented comment ${ORDER}\n${HEARTBEAT}\n`);
    expect(all.map((m) => m.kind === 'message' && m.msgType)).toEqual(['0']);
  });

  it('does not start a message at 8=FIX preceded by a digit (58=FIX… in a Text field)', () => {
    const all = parseFixMessages(`note 58=FIXED\n${ORDER}`);
    expect(all).toHaveLength(1);
  });
});

describe('framing: lines', () => {
  it('reads several messages on one line', async () => {
    const text = `${ORDER}${HEARTBEAT} ${ORDER}\n`;
    const r = await parseAll(text);
    expect(r.summary.messages).toBe(3);
    expect([...r.orders, ...r.sessions].map((x) => x.line_number)).toEqual([1, 1, 1]);
    expect(r.orders.map((x) => spanOf(Buffer.from(text, 'latin1'), x))).toEqual([ORDER, ORDER]);
  });

  it('reads a whole stream with no newline at all', async () => {
    const text = ORDER.repeat(50);
    const r = await parseAll(text, 61);
    expect(r.summary.messages).toBe(50);
    expect(r.orders.map((x) => x.source_offset)).toEqual(Array.from({ length: 50 }, (_, i) => i * ORDER.length));
  });

  it('reads CRLF line ends and counts lines', async () => {
    const text = `${ORDER}\r\n${HEARTBEAT}\r\n\r\n${ORDER}\r\n`;
    const r = await parseAll(text);
    expect(r.orders.map((x) => x.line_number)).toEqual([1, 4]);
    expect(r.sessions.map((x) => x.line_number)).toEqual([2]);
    expect(r.errors).toEqual([]);
  });

  it('joins a message broken over several lines at field boundaries', () => {
    const broken = ORDER.replace('\x0111=', '\x01\n11=').replace('\x0140=', '\x01\r\n40=');
    const m = only(broken + '\n');
    expect(m.fields).toEqual(only(ORDER).fields);
    expect(m.bodyLengthOk && m.checksumOk).toBe(true);
    expect(m.length).toBe(broken.length);
  });

  it('joins continuation lines where the log dropped the delimiter at the line break', () => {
    const broken = ORDER.replace('\x0111=', '\n11=');
    const m = only(broken);
    expect(m.fields).toEqual(only(ORDER).fields);
    expect(m.checksumOk).toBe(true);
  });

  it('numbers lines of messages after a continuation', async () => {
    const broken = ORDER.replace('\x0111=', '\x01\n11=');
    const r = await parseAll(`${broken}\n${ORDER}\n`);
    expect(r.orders.map((x) => x.line_number)).toEqual([1, 3]);
  });
});

describe('framing: versions', () => {
  it.each(['FIX.4.0', 'FIX.4.1', 'FIX.4.2', 'FIX.4.3', 'FIX.4.4', 'FIXT.1.1'])('reads %s', (v) => {
    const m = only(fixMsg(v, '35=D|49=A|56=B|34=1|11=X|'));
    expect(m.beginString).toBe(v);
    expect(m.checksumOk).toBe(true);
  });
});

describe('integrity flags (never dropped)', () => {
  it('flags a wrong BodyLength and keeps the message', () => {
    const bad = ORDER.replace(/\x019=\d+\x01/, '\x019=30\x01');
    const fixed = bad.replace(/10=\d{3}\x01$/, `10=${checksumOf(bad.slice(0, bad.lastIndexOf('10=')))}\x01`);
    const m = only(fixed);
    expect(m).toMatchObject({ bodyLengthOk: false, checksumOk: true, checksumPresent: true });
  });

  it('flags a wrong CheckSum and keeps the message', () => {
    const m = only(ORDER.replace(/10=\d{3}/, '10=256'));
    expect(m).toMatchObject({ bodyLengthOk: true, checksumOk: false, checksumPresent: true });
  });

  it('flags a message without CheckSum that ends at its line end', () => {
    const noChecksum = ORDER.slice(0, ORDER.lastIndexOf('10='));
    const m = only(`${noChecksum}\n${HEARTBEAT}`.split('\n')[0] + '\n');
    expect(m).toMatchObject({ checksumPresent: false, checksumOk: false, bodyLengthOk: true });
  });

  it('flags a message without BodyLength', () => {
    const noLength = ORDER.replace(/\x019=\d+\x01/, '\x01');
    const m = only(noLength);
    expect(m.bodyLengthOk).toBe(false);
    expect(m.checksumOk).toBe(false); // the written checksum covered the 9 field
  });

  it('counts integrity problems in the summary', async () => {
    const badSum = ORDER.replace(/10=\d{3}/, '10=000');
    const noSum = ORDER.slice(0, ORDER.lastIndexOf('10='));
    const r = await parseAll(`${ORDER}\n${badSum}\n${noSum}\n`);
    expect(r.summary.details.integrity).toEqual({ body_length_mismatch: 0, checksum_mismatch: 1, missing_checksum: 1 });
  });
});

describe('fields, duplicates and repeating groups', () => {
  it('keeps a duplicate tag outside groups, in order, and flags it', () => {
    const m = only(fixMsg('FIX.4.2', '35=D|11=A|40=1|40=2|54=1|'));
    expect(m.fields.filter(([t]) => t === 40)).toEqual([[40, '1'], [40, '2']]);
    expect(m.duplicateTags).toEqual([40]);
  });

  it('does not flag tags repeated by group instances (453 with nested 802)', () => {
    const m = only(
      fixMsg('FIX.4.4', '35=8|17=E1|453=2|448=BRK|447=D|452=1|802=2|523=S1|803=1|523=S2|803=2|448=TRD|447=D|452=11|55=IBM|'),
    );
    expect(m.duplicateTags).toEqual([]);
    expect(m.groupErrors).toEqual([]);
  });

  it.each([
    ['382 contra brokers', '35=8|17=E|382=2|375=A|337=X|375=B|337=Y|', []],
    ['552 sides with nested 453', '35=AE|571=T1|552=2|54=1|37=O1|11=C1|453=1|448=P|447=D|452=1|54=2|37=O2|11=C2|', []],
    ['78 allocations', '35=D|11=A|78=2|79=ACC1|80=50|79=ACC2|80=50|', []],
    ['555 legs', '35=AB|11=A|555=2|600=IBM|624=1|600=MSFT|624=2|', []],
    ['454 alternative ids', '35=D|11=A|454=2|455=US0378331005|456=4|455=037833100|456=1|', []],
    ['count zero', '35=d|454=0|55=X|', []],
    ['count above the instances', '35=D|11=A|386=3|336=PRE|336=AFTER|60=20240102-03:04:05|', ['386:count 3, found 2']],
    ['count below the instances', '35=8|17=E|382=1|375=A|375=B|', ['382:count 1, found 2']],
    ['member before the first field', '35=D|11=A|78=2|80=50|79=ACC1|80=150|79=ACC2|', ['78:80 before 79']],
  ])('groups: %s', (_name, body, errors) => {
    const m = only(fixMsg('FIX.4.4', body));
    expect(m.groupErrors).toEqual(errors);
    expect(m.duplicateTags).toEqual([]);
  });

  it('flags a tag repeated at top level after a group closed', () => {
    const m = only(fixMsg('FIX.4.4', '35=D|11=A|453=1|448=P|447=D|452=1|11=B|'));
    expect(m.duplicateTags).toEqual([11]);
  });

  it.each([
    [95, 96],
    [212, 213],
    [354, 355],
  ])('reads data field %i/%i holding SOH, a line break, = and |', (lengthTag, dataTag) => {
    const data = 'a\x01b\nc=d|e\x01';
    const msg = serializeFixMessage('FIX.4.4', [[35, 'D'], [11, 'A'], [lengthTag, String(data.length)], [dataTag, data], [55, 'IBM']]);
    const m = only(msg + '\n');
    expect(m.fields).toContainEqual([dataTag, data]);
    expect(m.fields.at(-2)).toEqual([55, 'IBM']);
    expect(m.checksumOk && m.bodyLengthOk).toBe(true);
    expect(m.length).toBe(msg.length);
  });

  it('falls back to the delimiter when a data length does not match', () => {
    const m = only(fixMsg('FIX.4.4', '35=D|95=99|96=short|55=IBM|'));
    expect(m.fields).toContainEqual([96, 'short']);
  });

  it('reads tags with leading zeros as numbers (and writes valid JSON for them)', async () => {
    const text = fixMsg('FIX.4.2', '035=D|011=A|');
    const m = only(text);
    expect(m.msgType).toBe('D');
    expect(m.fields.slice(2, 4)).toEqual([[35, 'D'], [11, 'A']]);
    const r = await parseAll(text);
    expect(JSON.parse(r.orders[0].fields as string).slice(2, 4)).toEqual([[35, 'D'], [11, 'A']]);
    expect(r.orders[0].cl_ord_id).toBe('A');
  });

  it('escapes quotes, backslashes and control bytes in the fields JSON', async () => {
    const msg = serializeFixMessage('FIX.4.4', [[35, 'D'], [58, 'a"b\\c\td'], [95, '3'], [96, 'x\x01y']]);
    const r = await parseAll(msg);
    expect(JSON.parse(r.orders[0].fields as string)).toContainEqual([58, 'a"b\\c\td']);
    expect(JSON.parse(r.orders[0].fields as string)).toContainEqual([96, 'x\x01y']);
  });

  it('keeps empty values (a tag without a value)', () => {
    const m = only(fixMsg('FIX.4.4', '35=0|56=|'));
    expect(m.fields).toContainEqual([56, '']);
  });

  it('decodes non-UTF-8 high bytes as latin1 rather than losing them', () => {
    const m = only(Buffer.from(fixMsg('FIX.4.2', '35=D|11=A|58=Caf\xe9|'), 'latin1'));
    expect(m.fields).toContainEqual([58, 'Café']);
  });

  it('decodes UTF-8 text', () => {
    const m = only(Buffer.from(fixMsg('FIX.4.4', '35=D|11=A|58=Zürich €|').replace(/[^\x00-\x7f]/g, (c) => Buffer.from(c).toString('latin1')), 'latin1'));
    expect(m.fields).toContainEqual([58, 'Zürich €']);
  });
});

describe('parse errors (never losing a neighbour)', () => {
  it('turns a garbled field into fix.garbled_field and keeps both neighbours', () => {
    const garbled = `8=FIX.4.2\x019=52\x0135=0\x0134=2\x014garbled9=TW\x0152=20240102-03:04:05\x0156=ISLD\x0110=0\x01`;
    const all = parseFixMessages(`${ORDER}\n${garbled}\n${HEARTBEAT}\n`);
    expect(all.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(['D', 'fix.garbled_field', '0']);
    const err = all[1];
    expect(err).toMatchObject({ line: 2, offset: ORDER.length + 1, length: garbled.length });
  });

  it('garbled messages on the same line as good ones do not swallow them', () => {
    const all = parseFixMessages(`${ORDER}8=FIX.4.2\x0135=0\x01-1=HI\x0110=000\x01${HEARTBEAT}`);
    expect(all.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(['D', 'fix.garbled_field', '0']);
  });

  it('reports fix.missing_msg_type', () => {
    const r = parseFixMessage(fixMsg('FIX.4.2', '34=2|49=A|'));
    expect(r).toMatchObject({ kind: 'error', code: 'fix.missing_msg_type' });
  });

  it('reports FIX fields without a BeginString as fix.no_begin_string', () => {
    const all = parseFixMessages(`35=D\x0111=X\x0155=IBM\x01\nplain text = not fix\n${ORDER}`);
    expect(all.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(['fix.no_begin_string', 'D']);
  });

  it('reports fix.truncated for a message cut by the end of the input', async () => {
    const cut = ORDER.slice(0, 40);
    const r = await parseAll(`${ORDER}\n${cut}`, 16);
    expect(r.orders).toHaveLength(1);
    expect(r.errors).toEqual([
      { code: 'fix.truncated', message: expect.any(String), raw: cut, line_number: 2, source_offset: ORDER.length + 1, source_length: cut.length },
    ]);
  });

  it('reports fix.truncated when the next message starts before this one ends', () => {
    const cut = ORDER.slice(0, 40);
    const all = parseFixMessages(cut + ORDER);
    expect(all.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(['fix.truncated', 'D']);
  });

  it('caps the raw text of a parse error', async () => {
    const huge = `8=FIX.4.2\x0135=0\x01x${'y'.repeat(5000)}\x0110=000\x01`;
    const r = await parseAll(huge);
    expect(r.errors[0].code).toBe('fix.garbled_field');
    expect((r.errors[0].raw as string).length).toBe(1024);
    expect(r.errors[0].source_length).toBe(huge.length);
  });
});

describe('soh helper sanity', () => {
  it('builds the bytes the tests use', () => {
    expect(soh('8=FIX.4.2|').toString('latin1')).toBe('8=FIX.4.2\x01');
  });
});
