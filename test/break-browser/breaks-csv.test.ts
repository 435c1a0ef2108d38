import { describe, expect, it } from 'vitest';
import { csvHeader, csvLine, csvNumberCell, csvTextCell, type CsvColumn } from '../../lib/server/breaks/breaks-csv';

describe('CSV cells of the breaks export', () => {
  it.each([
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\rcmd', `"'\rcmd"`],
  ])('neutralises a text cell starting a formula: %j', (input, expected) => {
    expect(csvTextCell(input)).toBe(expected);
  });

  it('leaves ordinary text alone and quotes commas, quotes and line breaks', () => {
    expect(csvTextCell('ORD-1')).toBe('ORD-1');
    expect(csvTextCell('a=b')).toBe('a=b');
    expect(csvTextCell('a,b')).toBe('"a,b"');
    expect(csvTextCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvTextCell('two\nlines')).toBe('"two\nlines"');
    expect(csvTextCell(null)).toBe('');
  });

  it('keeps numeric columns as bare numbers, negative ones included', () => {
    expect(csvNumberCell('-1250.5000000000')).toBe('-1250.5000000000');
    expect(csvNumberCell(3)).toBe('3');
    expect(csvNumberCell(null)).toBe('');
    // Not a number: treated as text, so still neutralised.
    expect(csvNumberCell('-1+1')).toBe("'-1+1");
  });

  it('writes a header and rows by column kind', () => {
    type R = { id: string; n: string | null };
    const cols: CsvColumn<R>[] = [
      { name: 'id', kind: 'text', get: (r) => r.id },
      { name: 'notional', kind: 'number', get: (r) => r.n },
    ];
    expect(csvHeader(cols)).toBe('id,notional\r\n');
    expect(csvLine(cols, { id: '-X', n: '-5' })).toBe("'-X,-5\r\n");
    expect(csvLine(cols, { id: 'Y', n: null })).toBe('Y,\r\n');
  });
});
