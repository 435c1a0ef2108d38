import { describe, expect, it } from 'vitest';
import { detectParser, getParser, listParsers } from '../../lib/parsers/registry';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('parser registry', () => {
  it('lists the built-in parsers and finds them by id', () => {
    expect(listParsers().map((p) => [p.id, p.version])).toEqual([
      ['fix', '1.0.0'],
      ['confirmations_csv', '1.0.0'],
    ]);
    expect(getParser('confirmations_csv')?.errorOutput).toBe('confirmations_parse_errors');
    expect(getParser('fix')?.outputs.map((o) => o.name)).toEqual(['fix_order_events', 'fix_session_events']);
    expect(getParser('nope')).toBeUndefined();
  });

  it('returns a copy from listParsers', () => {
    const list = listParsers();
    list.pop();
    expect(listParsers()).toHaveLength(2);
  });

  it.each([
    ['a FIX log with SOH', '8=FIX.4.4\x019=5\x0135=0\x0110=000\x01', 'fix'],
    ['a FIX log behind log-line prefixes', '2024-01-02 10:00:00.123 <- 8=FIX.4.2|9=5|35=0|10=000|\n', 'fix'],
    ['a FIX message deep in the head', `${'# comment line\n'.repeat(50)}8=FIXT.1.1^A9=5^A`, 'fix'],
    ['a confirmations CSV', 'exec_id,symbol,side\nE1,IBM,BUY\n', 'confirmations_csv'],
    ['a BOM and semicolons', '\ufeffexec_id;symbol\nE1;IBM\n', 'confirmations_csv'],
    ['any other text', 'hello\n', 'confirmations_csv'],
  ])('detects %s', (_name, text, id) => {
    expect(detectParser(utf8(text))?.id).toBe(id);
  });

  it('detects nothing in binary data or an empty head', () => {
    expect(detectParser(new Uint8Array([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]))).toBeNull();
    expect(detectParser(new Uint8Array([0x61, 0x00, 0x62]))).toBeNull();
    expect(detectParser(new Uint8Array(0))).toBeNull();
  });

  it('still detects text whose head ends inside a multi-byte character', () => {
    const bytes = utf8('exec_id,counterparty\nE1,Société');
    expect(detectParser(bytes.subarray(0, bytes.length - 3))?.id).toBe('confirmations_csv');
  });
});
