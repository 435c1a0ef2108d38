// The byte-range planner: ranges cover the file exactly, start at message boundaries, and carry
// the global line number and message index of their first byte. (result_hash across ranges:
// test/pipeline/result-hasher.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planByteRanges } from '../../lib/server/jobs/plan-byte-ranges';
import { buildFixLog } from './fix-fixture';

const dir = mkdtempSync(path.join(tmpdir(), 'wb-ranges-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content, 'latin1');
  return file;
}

describe('planByteRanges', () => {
  it('splits at line starts of new messages, with the line number and message index of each start', async () => {
    const content = buildFixLog({ orders: 200 });
    const file = write('plain.fix', content);
    for (const parts of [2, 3, 5]) {
      const ranges = await planByteRanges(file, parts);
      expect(ranges).toHaveLength(parts);
      expect(ranges[0]).toEqual({ start: 0, end: ranges[0].end, baseLine: 1, baseMessageIndex: 0 });
      expect(ranges.at(-1)!.end).toBe(Buffer.byteLength(content, 'latin1'));
      for (let k = 1; k < ranges.length; k++) {
        const r = ranges[k];
        expect(r.start).toBe(ranges[k - 1].end);
        const before = content.slice(0, r.start);
        expect(before.endsWith('\n')).toBe(true);
        expect(content.slice(r.start, r.start + 5)).toBe('8=FIX');
        // One message per line in this log: both counts are the lines before the start.
        const lines = before.split('\n').length - 1;
        expect(r.baseLine).toBe(lines + 1);
        expect(r.baseMessageIndex).toBe(lines);
      }
    }
  });

  it('does not split a file without a line that starts a message after a checksum', async () => {
    const file = write('one-line.fix', buildFixLog({ orders: 50 }).replaceAll('\n', ''));
    expect(await planByteRanges(file, 4)).toHaveLength(1);
  });
});
