// result_hash (lib/pipeline/result-hasher.ts): sha256(H ‖ digest of each run of staged lines in
// one block), rows in order; and its merge across byte ranges, which must give the one-worker value
// for every split.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BLOCK_MESSAGES, blockOf, createStagedResultHasher, RunRecordMerger } from '../../lib/pipeline/result-hasher';

const constants = { _cf_source_hash: 'a'.repeat(64), _cf_parser_version: '1.0.0', _cf_contract_hash: 'b'.repeat(64) };
const columns = ['x', 'y'];

/** A staged row: its line (without LF) and its block. */
type Row = [line: string, block: number];

/** Staged bytes of rows, with the marks a StagedBuffer records (one where the block changes). */
function staged(rows: readonly Row[], startBlock = Number.NaN): { bytes: Buffer; marks: number[] } {
  const marks: number[] = [];
  let at = 0;
  let block = startBlock;
  for (const [line, b] of rows) {
    if (b !== block) marks.push(at, b);
    block = b;
    at += Buffer.byteLength(line) + 1;
  }
  return { bytes: Buffer.from(rows.map(([l]) => l + '\n').join('')), marks };
}

function hashOf(rows: readonly Row[], opts: { constants?: Record<string, string>; columns?: string[] } = {}): string {
  const h = createStagedResultHasher({ constants: opts.constants ?? constants, columns: opts.columns ?? columns });
  const { bytes, marks } = staged(rows);
  h.updateBytes(bytes, marks);
  return h.digest();
}

/** The definition, computed directly: H, then sha256 of each maximal run of rows in one block. */
function byDefinition(rows: readonly Row[]): string {
  const h = createStagedResultHasher({ constants, columns });
  const outer = createHash('sha256').update(h.header);
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j][1] === rows[i][1]) j++;
    outer.update(createHash('sha256').update(rows.slice(i, j).map(([l]) => l + '\n').join('')).digest());
    i = j;
  }
  return outer.digest('hex');
}

/** The merged value of the rows cut into parts at `cuts` (each part a byte-range worker). */
function mergedOf(rows: readonly Row[], cuts: readonly number[], recordChunk = Infinity): string | null {
  const bounds = [0, ...cuts, rows.length];
  let merger: RunRecordMerger | null = null;
  for (let k = 0; k + 1 < bounds.length; k++) {
    const part = rows.slice(bounds[k], bounds[k + 1]);
    const records: Buffer[] = [];
    let header: Buffer | null = null;
    const h = createStagedResultHasher({
      constants, columns,
      onRunRecord: (head, payload, hd) => {
        header = hd;
        records.push(head, ...payload.map((p) => Buffer.from(p)));
      },
    });
    // A worker starts with no block: its first row is marked.
    const { bytes, marks } = staged(part);
    h.updateBytes(bytes, marks);
    h.end();
    if (header === null) continue; // a part without rows writes no file
    merger ??= new RunRecordMerger(header);
    const all = Buffer.concat(records);
    for (let p = 0; p < all.length; p += Math.min(recordChunk, all.length)) merger.write(all.subarray(p, Math.min(all.length, p + recordChunk)));
  }
  return merger === null ? null : merger.digest();
}

describe('createStagedResultHasher', () => {
  it('depends on row order, on every value, on the lineage constants and on the columns', () => {
    const base = hashOf([['1\u001fa', 0], ['2\u001fb', 0]]);
    expect(hashOf([['1\u001fa', 0], ['2\u001fb', 0]])).toBe(base);
    expect(hashOf([['2\u001fb', 0], ['1\u001fa', 0]])).not.toBe(base);
    expect(hashOf([['1\u001fa', 0], ['2\u001fc', 0]])).not.toBe(base);
    // NULL (an empty cell) is not the empty string (an empty quoted cell).
    expect(hashOf([['1\u001f', 0], ['2\u001fb', 0]])).not.toBe(hashOf([['1\u001f\u001e\u001e', 0], ['2\u001fb', 0]]));
    expect(hashOf([['1\u001fa', 0], ['2\u001fb', 0]], { constants: { ...constants, _cf_contract_hash: 'c'.repeat(64) } })).not.toBe(base);
    expect(hashOf([['1\u001fa', 0], ['2\u001fb', 0]], { columns: ['x', 'z'] })).not.toBe(base);
  });

  it('is sha256(H ‖ the digests of the runs of rows in one block)', () => {
    const rows: Row[] = [['1\u001fa', 0], ['2\u001fb', 0], ['3\u001fc', 1], ['4\u001fd', 3], ['5\u001fe', 3], ['6\u001f', -1]];
    expect(hashOf(rows)).toBe(byDefinition(rows));
    // Where the runs split is part of the value.
    expect(hashOf(rows.map(([l]) => [l, 0]))).not.toBe(hashOf(rows));
  });

  it('takes a row\'s block from its message_index', () => {
    expect(blockOf(0)).toBe(0);
    expect(blockOf(BLOCK_MESSAGES - 1)).toBe(0);
    expect(blockOf(BLOCK_MESSAGES)).toBe(1);
    expect(blockOf(null)).toBe(-1);
    expect(blockOf(undefined)).toBe(-1);
  });

  it('counts staged lines not yet passed to updateBytes, and can be read more than once', () => {
    const h = createStagedResultHasher({ constants, columns });
    h.updateBytes(Buffer.from('1\u001fa\n'), [0, 0]);
    const pending = { bytes: Buffer.from('2\u001fb\n3\u001fc\n'), marks: [4, 1] };
    expect(h.digest(pending)).toBe(hashOf([['1\u001fa', 0], ['2\u001fb', 0], ['3\u001fc', 1]]));
    expect(h.digest()).toBe(hashOf([['1\u001fa', 0]]));
    expect(h.digest()).toBe(h.digest());
  });

  it('gives the same value whatever the chunking of the staged bytes, and line by line', () => {
    const rows: Row[] = [['1\u001fa', 0], ['2\u001f\u001eb\nc\u001e', 0], ['3\u001fd', 2], ['4\u001fé', 2], ['5\u001f', 3]];
    const whole = hashOf(rows);
    const { bytes, marks } = staged(rows);
    // Cut the bytes after every line: each chunk gets the marks inside it, shifted.
    const ends: number[] = [];
    for (let at = 0, i = 0; i < rows.length; i++) ends.push((at += Buffer.byteLength(rows[i][0]) + 1));
    for (const cut of ends.slice(0, -1)) {
      const h = createStagedResultHasher({ constants, columns });
      const marksIn = (from: number, to: number) =>
        marks.flatMap((m, i) => (i % 2 === 0 && m >= from && m < to ? [m - from, marks[i + 1]] : []));
      h.updateBytes(bytes.subarray(0, cut), marksIn(0, cut));
      h.updateBytes(bytes.subarray(cut), marksIn(cut, bytes.length));
      expect(h.digest()).toBe(whole);
    }
    const byLine = createStagedResultHasher({ constants, columns });
    for (const [line, block] of rows) byLine.updateLine(line, block);
    expect(byLine.digest()).toBe(whole);
  });

  it('refuses rows after end()', () => {
    const h = createStagedResultHasher({ constants, columns });
    h.updateLine('1\u001fa', 0);
    h.end();
    expect(() => h.updateLine('2\u001fb', 0)).toThrow(/hasher\.ended/);
  });
});

describe('result_hash across byte ranges', () => {
  // Runs that cross cuts, a part inside one block, a block of one row, rows without a block.
  const rows: Row[] = [
    ['1\u001fa', 0], ['2\u001f\u001eb\nc\u001e', 0], ['3\u001f\u001e\u001e', 0], ['4\u001fd', 1], ['5\u001fe', 2],
    ['6\u001ff', 2], ['7\u001fg', 2], ['8\u001f', -1], ['9\u001fh', 5], ['10\u001fi', 5],
  ];
  const whole = hashOf(rows);

  it('merges to the one-worker value for every cut into two and three parts, empty parts included', () => {
    for (let a = 0; a <= rows.length; a++) {
      expect(mergedOf(rows, [a])).toBe(whole);
      for (let b = a; b <= rows.length; b++) expect(mergedOf(rows, [a, b])).toBe(whole);
    }
  });

  it('reads the records in any chunking', () => {
    for (const chunk of [1, 3, 17, 40]) expect(mergedOf(rows, [2, 5, 9], chunk)).toBe(whole);
  });

  it('hands over inner runs as digests, edge runs as bytes', () => {
    const kinds: string[] = [];
    const h = createStagedResultHasher({ constants, columns, onRunRecord: (head) => kinds.push(String.fromCharCode(head[0])) });
    const { bytes, marks } = staged(rows);
    h.updateBytes(bytes, marks);
    h.end();
    h.end();
    // Runs: block 0, 1, 2, -1, 5: the first and the last as bytes.
    expect(kinds).toEqual(['B', 'D', 'D', 'D', 'B']);
  });

  it('refuses records that end inside a record', () => {
    const m = new RunRecordMerger(Buffer.alloc(32));
    m.write(Buffer.from([0x44, 0, 0]));
    expect(() => m.digest()).toThrow(/result_hash\.bad_record/);
  });
});
