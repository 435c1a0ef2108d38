// The byte-range planner: ranges cover the file exactly, start at message boundaries, and carry
// the global line number and message index of their first byte; the row digests of result_hash
// combine across ranges to the one-run value.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { planByteRanges } from '../../lib/server/jobs/plan-byte-ranges';
import { combineRowDigests, createStagedResultHasher } from '../../lib/pipeline/result-hasher';
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

describe('result_hash across ranges', () => {
  it('is sha256(H ‖ row digests) whatever the split', () => {
    const constants = { _cf_source_hash: 'a'.repeat(64), _cf_parser_version: '1.0.0', _cf_contract_hash: 'b'.repeat(64) };
    const columns = ['x', 'y'];
    // Staged lines, one with a quoted LF inside a value (RS is the staged text's quote).
    const lines = ['1\u001fa', '2\u001f\u001eb\nc\u001e', '3\u001f\u001e\u001e', '4\u001fd'];
    const whole = createStagedResultHasher({ constants, columns });
    whole.updateBytes(Buffer.from(lines.map((l) => l + '\n').join('')));
    const parts: Buffer[] = [];
    let header: Buffer | null = null;
    for (const slice of [lines.slice(0, 1), lines.slice(1, 3), lines.slice(3)]) {
      const h = createStagedResultHasher({
        constants, columns,
        onRowDigests: (d, head) => {
          header = head;
          parts.push(d);
        },
      });
      h.updateBytes(Buffer.from(slice.map((l) => l + '\n').join('')));
    }
    expect(Buffer.concat(parts)).toHaveLength(32 * lines.length);
    expect(combineRowDigests(header!, parts)).toBe(whole.digest());
    // Line by line (the object path) gives the same value.
    const byLine = createStagedResultHasher({ constants, columns });
    for (const l of lines) byLine.updateLine(l);
    expect(byLine.digest()).toBe(whole.digest());
  });
});
