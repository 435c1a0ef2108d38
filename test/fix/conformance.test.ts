import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isFixDecimal, parseFixMessages, type FixParseProblem, type ParsedFixMessage } from '../../lib/fix/index';
import { parseAll } from './fix-test-helpers';
import { CONFORMANCE_DIR, conformancePresent, QUICKFIX_DIR } from './quickfix-spec';

// Conformance over the QuickFIX acceptance definitions (../shared/conformance, read at run
// time). Every `I` line of every .def file becomes the bytes a real log would hold (SOH
// delimiters, <TIME> filled in, 9 inserted after 8 and 10 appended where the case leaves them
// out, kept as written where the case sets them), one message per line. A small reference
// reader in this file says what each line must become; the parser must agree, line by line.
//
// Where a log reader differs from a session engine (QuickFIX ignores, rejects or disconnects;
// the workbench keeps what was written and flags it, because the log is evidence):
const LOG_READER_DIFFERENCES: ReadonlyArray<{ cases: string; engine: string; workbench: string; why: string }> = [
  { cases: '2m, 1d_InvalidLogonLengthInvalid', engine: 'ignores the message / disconnects', workbench: 'keeps it, body_length_ok = false', why: 'a wrong BodyLength in a log is a fact to show, not a reason to lose the message' },
  { cases: '3b', engine: 'ignores the message', workbench: 'keeps it, checksum_ok = false', why: 'same: integrity is flagged, never a reason to drop' },
  { cases: '2d, 3c', engine: 'ignores the garbled message', workbench: 'fix.garbled_field parse error with its bytes; neighbours parse', why: 'a parse error row keeps the evidence and the count' },
  { cases: '14a', engine: 'session Reject for tags 0, 999, 5000, -1', workbench: 'keeps 0, 999 and 5000 as fields; "-1" is not a tag → fix.garbled_field', why: 'undefined tags are common in real logs (custom tags); a non-numeric tag cannot be a field' },
  { cases: '14b, 14c, 14e, 14f', engine: 'session Reject (missing field, field not in message, bad enum, 38=+200.00)', workbench: 'keeps the text exactly; the contract validator quarantines what does not type', why: 'typing is the contract\'s job, with a recorded reason per row' },
  { cases: '14d, validate/CheckFieldsHaveValues', engine: 'Reject: tag without value', workbench: 'keeps [tag, ""]; the column is null', why: 'an empty value is what the log says' },
  { cases: '14g, 15', engine: 'Reject 14g (header fields after body fields)', workbench: 'keeps fields in written order', why: 'order is kept in `fields`; named columns do not depend on it' },
  { cases: '14h', engine: 'Reject: tag appears more than once', workbench: 'keeps both, duplicate_tags = "40"', why: 'both values are evidence' },
  { cases: '14i, future/14j', engine: 'Reject: NumInGroup count wrong / members out of order', workbench: 'keeps the message, group_errors says what is wrong', why: 'flag, do not drop' },
  { cases: 'future/14k', engine: 'Reject: SOH inside a non-data field', workbench: 'the piece after the stray SOH is not tag=value → fix.garbled_field', why: 'without a length field an embedded SOH cannot be told from a delimiter' },
  { cases: '2t', engine: 'Reject / disconnect: first three fields out of order', workbench: '"35=0" before 8= is fix.no_begin_string and the rest fix.missing_msg_type; 34 before 35 is kept', why: 'a message starts at 8=FIX; MsgType may be anywhere in it' },
  { cases: '1d_InvalidLogonWrongBeginString, 2i', engine: 'disconnect on an unexpected BeginString', workbench: 'keeps it; begin_string shows FIX.3.9', why: 'framing does not depend on the version' },
  { cases: '2b, 2e–2g, 8_*, 10, 11a–11c, 19, 20', engine: 'sequence, PossDup and resend rules', workbench: 'every message kept with msg_seq_num, poss_dup_flag, orig_sending_time, new_seq_no, gap_fill_flag', why: 'sequence checks are break detection (sequence_gap, duplicate_seq_num), not parsing' },
];

const TIME = '20240102-03:04:05.000';

function sum(text: string): number {
  let s = 0;
  for (let i = 0; i < text.length; i++) s += text.charCodeAt(i) & 0xff;
  return s % 256;
}

/** The bytes the QuickFIX harness would send for an `I` line. */
export function harnessBytes(iLine: string): string {
  const text = iLine.replace(/^\d+,/, '').replace(/<TIME>/g, TIME);
  const tokens = text.split('\x01');
  if (tokens[tokens.length - 1] === '') tokens.pop();
  if (text.startsWith('8=') && !tokens.some((t) => t.startsWith('9='))) {
    const bodyTokens = tokens.slice(1).filter((t) => !t.startsWith('10='));
    const body = bodyTokens.map((t) => t + '\x01').join('');
    tokens.splice(1, 0, `9=${Buffer.byteLength(body, 'latin1')}`);
  }
  if (!tokens.some((t) => t.startsWith('10='))) {
    const soFar = tokens.map((t) => t + '\x01').join('');
    tokens.push(`10=${String(sum(soFar)).padStart(3, '0')}`);
  }
  return tokens.map((t) => t + '\x01').join('');
}

type Expected =
  | { kind: 'message'; msgType: string; fields: Array<[number, string]>; bodyLengthOk: boolean; checksumOk: boolean }
  | { kind: 'error'; code: string };

/** The reference reader: what one harness line must become. */
export function expectedFor(line: string): Expected[] {
  const out: Expected[] = [];
  let text = line;
  if (!text.startsWith('8=FIX')) {
    const at = text.indexOf('\x018=FIX');
    if (at < 0) return [{ kind: 'error', code: 'fix.no_begin_string' }];
    out.push({ kind: 'error', code: 'fix.no_begin_string' });
    text = text.slice(at + 1);
  }
  const tokens = text.split('\x01');
  tokens.pop();
  if (tokens.some((t) => !/^\d{1,9}=/.test(t))) return [...out, { kind: 'error', code: 'fix.garbled_field' }];
  const fields = tokens.map((t): [number, string] => [Number(t.slice(0, t.indexOf('='))), t.slice(t.indexOf('=') + 1)]);
  const msgType = fields.find(([t, v]) => t === 35 && v !== '');
  if (!msgType) return [...out, { kind: 'error', code: 'fix.missing_msg_type' }];
  const nineAt = fields.findIndex(([t]) => t === 9);
  const tenAt = fields.findIndex(([t]) => t === 10);
  const beforeTen = tokens.slice(0, tenAt).map((t) => t + '\x01').join('');
  const body = tokens.slice(nineAt + 1, tenAt).map((t) => t + '\x01').join('');
  const ten = fields[tenAt][1];
  return [
    ...out,
    {
      kind: 'message',
      msgType: msgType[1],
      fields,
      bodyLengthOk: nineAt >= 0 && /^\d+$/.test(fields[nineAt][1]) && Number(fields[nineAt][1]) === body.length,
      checksumOk: /^\d{3}$/.test(ten) && Number(ten) === sum(beforeTen),
    },
  ];
}

function defFiles(): string[] {
  const server = path.join(QUICKFIX_DIR, 'server');
  return ['fix42', 'fix44', 'future', 'validate'].flatMap((dir) =>
    readdirSync(path.join(server, dir))
      .filter((f) => f.endsWith('.def'))
      .sort()
      .map((f) => `${dir}/${f}`),
  );
}

function iLines(defFile: string): string[] {
  return readFileSync(path.join(QUICKFIX_DIR, 'server', defFile), 'latin1')
    .split('\n')
    .map((l) => l.replace(/\r$/, ''))
    .filter((l) => l.startsWith('I'))
    .map((l) => harnessBytes(l.slice(1)));
}

function describeOutcome(m: ParsedFixMessage | FixParseProblem): Expected {
  return m.kind === 'error'
    ? { kind: 'error', code: m.code }
    : { kind: 'message', msgType: m.msgType, fields: m.fields, bodyLengthOk: m.bodyLengthOk, checksumOk: m.checksumOk };
}

function messagesOf(defFile: string): ParsedFixMessage[] {
  return parseFixMessages(iLines(defFile).join('\n') + '\n').filter((m): m is ParsedFixMessage => m.kind === 'message');
}

if (!conformancePresent) {
  describe(`FIX conformance data NOT FOUND at ${CONFORMANCE_DIR}: conformance not checked`, () => {
    it('reports that the QuickFIX acceptance definitions are absent', () => {
      console.warn(`conformance.test: ${CONFORMANCE_DIR} is missing; FIX conformance was NOT checked`);
      expect(conformancePresent).toBe(false);
    });
  });
} else {
  const files = defFiles();

  describe('FIX conformance: QuickFIX acceptance definitions', () => {
    it('finds the definitions (fix42, fix44, future, validate)', () => {
      expect(files.filter((f) => f.startsWith('fix42/')).length).toBe(58);
      expect(files.filter((f) => f.startsWith('fix44/')).length).toBe(59);
      expect(files).toContain('future/14k_EmbeddedSOH.def');
    });

    it.each(files)('%s: every I line becomes what the reference reader says, in order, with no neighbour lost', async (file) => {
      const lines = iLines(file);
      const log = lines.join('\n') + '\n';
      const expected = lines.flatMap(expectedFor);
      expect(parseFixMessages(log).map(describeOutcome)).toEqual(expected);
      // The streaming parser agrees on counts, fed in odd-sized chunks.
      const r = await parseAll(log, 53);
      expect(r.summary.messages).toBe(expected.filter((e) => e.kind === 'message').length);
      expect(r.errors.map((e) => e.code)).toEqual(expected.flatMap((e) => (e.kind === 'error' ? [e.code] : [])));
    });

    it('flags the deliberately wrong BodyLength (2m: 9=30 and 9=111; 1d: 9=40), and only those', () => {
      for (const dir of ['fix42', 'fix44']) {
        const flagged = messagesOf(`${dir}/2m_BodyLengthValueNotCorrect.def`).filter((m) => !m.bodyLengthOk);
        expect(flagged.map((m) => m.fields[1][1])).toEqual(['30', '111']);
        expect(flagged.every((m) => m.checksumOk)).toBe(true);
        expect(messagesOf(`${dir}/1d_InvalidLogonLengthInvalid.def`).map((m) => m.bodyLengthOk)).toEqual([false]);
      }
      const elsewhere = files
        .filter((f) => !/2m_|1d_InvalidLogonLength|2d_|3c_/.test(f))
        .flatMap((f) => messagesOf(f).filter((m) => !m.bodyLengthOk).map(() => f));
      expect(elsewhere).toEqual([]);
    });

    it('flags the deliberately wrong CheckSum (3b: 10=256), and only those', () => {
      for (const dir of ['fix42', 'fix44']) {
        const msgs = messagesOf(`${dir}/3b_InvalidChecksum.def`);
        expect(msgs.filter((m) => !m.checksumOk).map((m) => m.fields.at(-1))).toEqual([[10, '256'], [10, '256']]);
        expect(msgs.filter((m) => !m.checksumOk).every((m) => m.bodyLengthOk)).toBe(true);
      }
      const elsewhere = files
        .filter((f) => !/3b_|2t_/.test(f))
        .flatMap((f) => messagesOf(f).filter((m) => !m.checksumOk).map(() => f));
      expect(elsewhere).toEqual([]);
    });

    it('turns garbled messages into parse errors without losing neighbours (2d, 3c)', () => {
      for (const f of ['fix42/2d_GarbledMessage.def', 'fix44/3c_GarbledMessage.def']) {
        const out = parseFixMessages(iLines(f).join('\n') + '\n');
        expect(out.map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual(
          f.includes('2d') ? ['A', 'fix.garbled_field', '0', 'fix.garbled_field', '0', 'D', '5'] : ['A', 'fix.garbled_field', '0', 'fix.garbled_field', '0', 'D', '5'],
        );
      }
    });

    it('reports the repeated tag (14h) and only there', () => {
      for (const dir of ['fix42', 'fix44']) {
        const withDup = messagesOf(`${dir}/14h_RepeatedTag.def`).filter((m) => m.duplicateTags.length);
        expect(withDup.map((m) => m.duplicateTags)).toEqual([[40]]);
        expect(withDup[0].fields.filter(([t]) => t === 40)).toEqual([[40, '1'], [40, '2']]);
      }
      const elsewhere = files.filter((f) => !f.includes('14h_')).filter((f) => messagesOf(f).some((m) => m.duplicateTags.length));
      expect(elsewhere).toEqual([]);
    });

    it('reports group-count mismatches (14i) and members out of order (14j); count zero is valid (21)', () => {
      for (const dir of ['fix42', 'fix44']) {
        expect(messagesOf(`${dir}/14i_RepeatingGroupCountNotEqual.def`).flatMap((m) => m.groupErrors)).toEqual(['386:count 3, found 2']);
        expect(messagesOf(`${dir}/21_RepeatingGroupSpecifierWithValueOfZero.def`).flatMap((m) => m.groupErrors)).toEqual([]);
      }
      expect(messagesOf('future/14j_OutOfRepeatingGroupMembers.def').flatMap((m) => m.groupErrors)).toEqual(['78:80 before 79']);
      const elsewhere = files.filter((f) => !/14i_|14j_/.test(f)).filter((f) => messagesOf(f).some((m) => m.groupErrors.length));
      expect(elsewhere).toEqual([]);
    });

    it('keeps what a session engine rejects, as the differences table says', () => {
      // 14a: tags 0, 999, 5000 kept; -1 garbled.
      const bad = parseFixMessages(iLines('fix42/14a_BadField.def').join('\n'));
      expect(bad.map((m) => (m.kind === 'error' ? m.code : m.fields.find(([t]) => [0, 999, 5000].includes(t))?.[0] ?? m.msgType))).toEqual([
        'A', 999, 0, 'fix.garbled_field', 5000, '5',
      ]);
      // 14f: 38=+200.00 kept as written; not a FIX decimal, so the contract quarantines it.
      const qty = messagesOf('fix44/14f_IncorrectDataFormat.def').flatMap((m) => m.fields.filter(([t]) => t === 38).map(([, v]) => v));
      expect(qty).toContain('+200.00');
      expect(isFixDecimal('+200.00')).toBe(false);
      // 14d: tag without a value kept.
      expect(messagesOf('fix44/14d_TagSpecifiedWithoutValue.def').some((m) => m.fields.some(([t, v]) => t === 56 && v === ''))).toBe(true);
      // 14k: the stray piece after an embedded SOH makes the message a parse error.
      expect(parseFixMessages(iLines('future/14k_EmbeddedSOH.def').join('\n')).map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual([
        'A', 'fix.garbled_field', '5',
      ]);
      // 2t: 35 before 8.
      expect(parseFixMessages(iLines('fix42/2t_FirstThreeFieldsOutOfOrder.def').join('\n')).map((m) => (m.kind === 'error' ? m.code : m.msgType))).toEqual([
        'A', 'fix.no_begin_string', 'fix.missing_msg_type', '1', '0', '1', '5',
      ]);
      // 1d: an unexpected BeginString is kept.
      expect(messagesOf('fix44/1d_InvalidLogonWrongBeginString.def').map((m) => m.beginString)).toEqual(['FIX.3.9']);
      expect(LOG_READER_DIFFERENCES.length).toBeGreaterThan(10);
    });

    it('routes session and order messages of the whole corpus to their outputs with sequence fields', async () => {
      const log = files.flatMap(iLines).join('\n') + '\n';
      const r = await parseAll(log, 4096);
      expect(r.sessions.every((row) => ['A', '0', '1', '2', '3', '4', '5', 'j'].includes(row.msg_type as string))).toBe(true);
      expect(r.orders.every((row) => row.msg_type === 'D' || row.cl_ord_id !== null || row.order_id !== null || row.exec_id !== null)).toBe(true);
      expect(r.sessions.filter((row) => row.msg_type === '4').every((row) => row.new_seq_no !== null)).toBe(true);
      expect([...r.orders, ...r.sessions].every((row) => row.msg_seq_num !== null)).toBe(true);
    });
  });
}
