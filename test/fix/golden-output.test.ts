import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeFixMessage, type FixField } from '../../lib/fix/index';
import { messageAt } from '../../bench/parse';
import { parseAll, type ParsedOutputs } from './fix-test-helpers';
import { CONFORMANCE_DIR, conformancePresent, QUICKFIX_DIR } from './quickfix-spec';

// Pins every output byte of the parser (rows of all three outputs, in order, and the summary)
// over a deterministic corpus, so speed work on the scanner / analysis / row builder cannot
// change a value, a column or a flag unnoticed. A deliberate change of behaviour updates the
// hash here, and says why in the same change.

const HEAD: FixField[] = [[49, 'BUY'], [56, 'SELL'], [34, '7'], [52, '20240102-03:04:05.123']];

/** Hand-written edge cases: delimiters, prefixes, flags, groups, duplicates, escapes, data fields, errors. */
function edgeCases(): string {
  const m = (fields: FixField[], v = 'FIX.4.4', o = {}) => serializeFixMessage(v, fields, o);
  const order: FixField[] = [[35, 'D'], ...HEAD, [11, 'A1'], [55, 'IBM'], [54, '1'], [38, '100'], [40, '2'], [44, '12.50']];
  const parts: string[] = [
    m(order),
    m(order, 'FIX.4.2', { delimiter: '|' }),
    m(order, 'FIX.4.4', { delimiter: '^A' }),
    `{"raw":"${m(order, 'FIX.4.4', { delimiter: '\\u0001' })}"}`,
    m(order, 'FIX.4.4', { delimiter: '\\x01' }),
    m(order, 'FIX.4.4', { delimiter: ' | ' }),
    `2024-01-02 03:04:05.123 <- ${m(order)}junk after`,
    `\x00\x00${m(order)}${m([[35, '0'], ...HEAD])}`,
    m(order) + '\r',
    '# a comment line 8=FIX.4.4|9=5|35=0|',
    m(order, 'FIX.4.4', { checksum: '000' }),
    m(order, 'FIX.4.4', { bodyLength: '7' }),
    m(order).replace(/10=\d{3}\x01$/, ''),
    m([[35, 'UDF'], ...HEAD, [11, 'Q'], [58, 'text with "quote", back\\slash, tab\t and ctrl\x02']]),
    m([[35, '8'], ...HEAD, [37, 'O1'], [11, 'C1'], [17, 'E1'], [150, 'F'], [39, '1'], [55, 'IBM'], [54, '2'], [58, 'Zürich café'], [453, '2'], [448, 'P1'], [447, 'D'], [452, '1'], [802, '1'], [523, 'S1'], [803, '2'], [448, 'P2'], [447, 'D'], [452, '3']]),
    m([[35, '8'], ...HEAD, [37, 'O2'], [17, 'E2'], [20, '0'], [150, '2'], [39, '2'], [58, 'latin1 \xe9\xe8'], [453, '3'], [448, 'P1'], [448, 'P2'], [55, 'X'], [55, 'Y'], [44, '1'], [44, '2']], 'FIX.4.2'),
    m([[35, '8'], ...HEAD, [37, 'O3'], [17, 'E3'], [20, '1'], [382, '1'], [337, 'C'], [375, 'B'], [555, '1'], [600, 'L1'], [604, '1'], [605, 'A'], [606, '4'], [454, '1'], [455, 'I'], [456, '8'], [78, '1'], [79, 'AC'], [80, '5']]),
    m([[35, 'D'], ...HEAD, [11, 'D1'], [95, '7'], [96, 'a\x01b\nc=d'], [55, 'MSFT'], [212, '3'], [213, '<x>'], [354, '2'], [355, '\x01\x01'], [70000, 'big'], [70000, 'big2'], [5001, 'u1'], [5001, 'u2']]),
    m([[35, 'AE'], ...HEAD, [571, 'TR1'], [880, 'M1'], [552, '2'], [54, '1'], [37, 'a'], [54, '2'], [37, 'b'], [75, '20240102'], [64, '20240104']]),
    m([[35, 'A'], ...HEAD, [98, '0'], [108, '30'], [141, 'Y']]),
    m([[35, '2'], ...HEAD, [7, '1'], [16, '0']]) + m([[35, '4'], ...HEAD, [36, '9'], [123, 'Y']]),
    m([[35, '3'], ...HEAD, [45, '3'], [372, 'D'], [371, '44'], [373, '5'], [58, 'bad']]) + m([[35, 'j'], ...HEAD, [45, '4'], [380, '2']]),
    m([[35, '1'], ...HEAD, [112, 'T1']]) + m([[35, '5'], ...HEAD, [58, 'bye']]),
    m([[35, 'F'], ...HEAD, [11, 'C2'], [41, 'C1'], [0o11, 'x'], [55, '']]).replace('55=\x01', '055=\x01'),
    '8=FIX.4.4\x019=5\x0149=X\x0156=Y\x0110=000\x01',
    '8=FIX.4.4\x019=20\x0135=D\x01ab=c\x0111=Z\x0110=000\x01',
    '9=12\x0135=0\x0149=A\x0110=000\x01',
    m(order).replace('\x0111=', '\n11='),
    m([[35, '8'], ...HEAD, [37, 'O9'], [17, 'E9'], [150, 'G'], [1, 'ACC'], [15, 'EUR'], [30, 'XPAR'], [48, 'FR0'], [22, '4'], [60, '20240102-03:04:05.123456789']], 'FIXT.1.1'),
    '8=FIX.4.4\x019=40\x0135=D\x0111=CUT',
  ];
  return parts.join('\n');
}

function digest(out: ParsedOutputs): string {
  const h = createHash('sha256');
  for (const b of out.batches) {
    h.update(b.output);
    for (const row of b.rows) h.update(JSON.stringify(row) + JSON.stringify(Object.keys(row)) + '\n');
  }
  h.update(JSON.stringify(out.summary));
  return h.digest('hex');
}

async function hashOf(bytes: Buffer, chunkSize: number): Promise<string> {
  return digest(await parseAll(bytes, chunkSize));
}

describe('golden output: rows and summary are byte-identical to the pinned corpus', () => {
  it('pins the benchmark mix and the hand-written edge cases, whatever the chunking', async () => {
    const text = Array.from({ length: 3000 }, (_, i) => messageAt(i)).join('\n') + '\n' + edgeCases();
    const bytes = Buffer.from(text, 'latin1');
    const whole = await hashOf(bytes, 1 << 20);
    expect(await hashOf(bytes, 997)).toBe(whole);
    expect(whole).toBe('ab2ae54a8476967018cbaacd6fdea7910ae89d705c28885f683480daf8349007');
  });

  it.runIf(conformancePresent)(`pins the raw QuickFIX acceptance definitions read as a log (${CONFORMANCE_DIR})`, async () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (name.endsWith('.def')) files.push(p);
      }
    };
    walk(path.join(QUICKFIX_DIR, 'server'));
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    expect(await hashOf(bytes, 1 << 16)).toBe('6e107cee24c05eb541243ec084f050b1206445a8140e69294d032fa9345c454b');
  });
});

describe('per-process caches (MsgType strings, last BeginString, last interned values) never leak between parses', () => {
  it('gives each parse only its own BeginStrings, MsgTypes and values', async () => {
    const a = serializeFixMessage('FIX.4.2', [[35, 'D'], ...HEAD, [11, 'A1'], [55, 'IBM'], [1, 'ACC-A']]);
    const b = serializeFixMessage('FIX.4.4', [[35, 'D'], [49, 'OTHER'], [56, 'SELL'], [34, '8'], [11, 'B1'], [55, 'MSFT'], [1, 'ACC-B']]);
    const first = await parseAll(a + a);
    const second = await parseAll(b + serializeFixMessage('FIX.4.4', [[35, '0'], ...HEAD]));
    expect(first.summary.details).toMatchObject({ begin_strings: { 'FIX.4.2': 2 }, msg_types: { D: 2 } });
    expect(second.summary.details).toMatchObject({ begin_strings: { 'FIX.4.4': 2 }, msg_types: { D: 1, '0': 1 } });
    expect(Object.keys(second.summary.details.begin_strings as object)).toEqual(['FIX.4.4']);
    expect(second.orders.map((r) => [r.begin_string, r.sender_comp_id, r.symbol, r.account])).toEqual([['FIX.4.4', 'OTHER', 'MSFT', 'ACC-B']]);
    expect(first.orders.map((r) => [r.begin_string, r.sender_comp_id, r.symbol, r.account])).toEqual([
      ['FIX.4.2', 'BUY', 'IBM', 'ACC-A'],
      ['FIX.4.2', 'BUY', 'IBM', 'ACC-A'],
    ]);
  });
});
