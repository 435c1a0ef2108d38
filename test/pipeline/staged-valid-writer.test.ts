// The fused path (validate straight into staged text) must write exactly what the object path
// wrote: the splitter's typed valid row object, encoded by db/parquet's row encoder for the
// sink's columns. Checked on varied rows: every column type, nulls and empty strings, unicode,
// the staging control characters, JS booleans and numbers as cells, position columns as numbers,
// text or missing, and quarantined rows in between.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRowEncoder } from '../../db/parquet/staging-text-format';
import type { ParserRow } from '../../lib/parsers/parser-types';
import { compileValidator } from '../../lib/pipeline/compile-validator';
import { createOutputSplitter, type Lineage } from '../../lib/pipeline/output-splitter';
import { BLOCK_MESSAGES } from '../../lib/pipeline/result-hasher';
import { positionCell, stagedValidColumns } from '../../lib/pipeline/staged-valid-writer';
import { contractOf } from './helpers';

const contract = contractOf([
  { name: 'id', type: 'string', nullable: false },
  { name: 'note', type: 'string', nullable: true },
  { name: 'qty', type: 'int64', nullable: true },
  { name: 'ratio', type: 'float64', nullable: true },
  { name: 'flag', type: 'boolean', nullable: true },
  { name: 'day', type: 'date', nullable: true, format: 'yyyy-MM-dd' },
  { name: 'naive', type: 'timestamp', nullable: true, format: 'iso8601' },
  { name: 'at', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'iso8601' },
  { name: 'fixat', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'fix_utc_timestamp' },
  { name: 'px', type: { kind: 'decimal', precision: 24, scale: 10 }, nullable: true },
  { name: 'side', type: { kind: 'enum', values: ['BUY', 'SELL', 'é\u001fodd'] }, nullable: true },
]);
const lineage: Lineage = {
  sourceHash: 'a'.repeat(64),
  jobId: 'job-1',
  processedAt: new Date('2026-01-02T03:04:05.678Z'),
  parserVersion: '1.0.0',
  contractHash: 'c'.repeat(64),
};
const CONSTANTS: Record<string, string> = {
  _cf_source_hash: lineage.sourceHash,
  _cf_job_id: lineage.jobId,
  _cf_processed_at: '2026-01-02 03:04:05.678000+00',
  _cf_parser_version: lineage.parserVersion,
  _cf_contract_hash: lineage.contractHash,
};
/** The sink columns of the valid file, as the runner declares them. */
const sinkColumns = stagedValidColumns(contract).map((c) => (c.constant ? { name: c.name, duckdbType: c.duckdbType, constant: CONSTANTS[c.name] } : { name: c.name, duckdbType: c.duckdbType }));
const encodeObject = compileRowEncoder(sinkColumns);

const TEXTS = ['plain', '', 'é漢字🙂', 'tab\there', 'unit\u001fsep', 'rec\u001esep\u001e', 'line\nfeed', 'cr\r\nlf', '"quoted", comma', '[[8,"FIX.4.4"]]'];
/** Mostly values that pass (so most rows take the fused path), sometimes one that does not. */
const mostly = <T, U>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<U>) => fc.oneof({ arbitrary: good, weight: 30 }, { arbitrary: bad, weight: 1 });
const rowArb: fc.Arbitrary<ParserRow> = fc.record({
  id: mostly(fc.oneof(fc.constantFrom(...TEXTS.filter((t) => t !== '')), fc.string({ minLength: 1 })), fc.constantFrom('', null)),
  note: fc.oneof(fc.constantFrom(...TEXTS), fc.string({ unit: 'grapheme' }), fc.constant(null), fc.constant(undefined)),
  qty: mostly(fc.oneof(fc.constantFrom('0', '-12', '+7', '9223372036854775807', ''), fc.integer({ min: -1000, max: 1000 })), fc.constantFrom('9223372036854775808', 'x')),
  ratio: mostly(fc.constantFrom('1.5', '-0.1', '1e21', null), fc.constantFrom('abc')),
  flag: mostly(fc.oneof(fc.boolean(), fc.constantFrom('Y', 'no', 'true', '', null)), fc.constantFrom('maybe')),
  day: mostly(fc.constantFrom('2024-02-29', '', null), fc.constantFrom('2023-02-29', '2024-13-01')),
  naive: mostly(fc.constantFrom('2024-01-02T03:04:05', '2024-01-02T03:04:05.123456', null), fc.constantFrom('2024-01-02T03:04:05.1234567', '2024-01-02T03:04:05Z')),
  at: mostly(fc.constantFrom('2024-01-02T03:04:05Z', '2024-03-10T02:30:00-05:00', null), fc.constantFrom('2024-01-02T03:04:05')),
  fixat: mostly(fc.constantFrom('20240315-13:01:02.123', '20240315-13:01:02', null), fc.constantFrom('20240315-25:01:02')),
  px: mostly(fc.constantFrom('411.25', '-0.50', '00012.30', '12345678901234.1234567890', null), fc.constantFrom('1e3', '123456789012345.1')),
  side: mostly(fc.constantFrom('BUY', 'SELL', 'é\u001fodd', null), fc.constantFrom('HOLD')),
  extra: fc.constantFrom('kept', null),
  line_number: fc.oneof(fc.nat(), fc.constantFrom('12', '007', '', null, undefined)),
  message_index: fc.oneof(fc.nat(), fc.constant(undefined)),
  source_offset: fc.oneof(fc.nat(), fc.constant('300')),
  source_length: fc.nat(),
  __cf_row_id: fc.oneof(fc.nat(), fc.constant(undefined)),
}) as fc.Arbitrary<ParserRow>;

const splitter = (l: Lineage = lineage) => createOutputSplitter({ contract, validator: compileValidator(contract), lineage: l });

function objectPath(rows: readonly ParserRow[], batch: number) {
  const s = splitter();
  const lines: string[] = [];
  const quarantine: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const out = s.push(rows.slice(i, i + batch));
    for (const v of out.valid) lines.push(encodeObject(v) + '\n');
    quarantine.push(...out.quarantine);
  }
  return { text: lines.join(''), quarantine, stats: s.stats() };
}

/** Bytes of the longest staged line (one row, LF included) in `bytes`; an LF inside RS quotes is a value's. */
function longestLineOf(bytes: Buffer): number {
  let longest = 0;
  let start = 0;
  let quoted = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x1e) quoted = !quoted;
    else if (bytes[i] === 0x0a && !quoted) {
      longest = Math.max(longest, i + 1 - start);
      start = i + 1;
    }
  }
  return longest;
}

function fusedPath(rows: readonly ParserRow[], batch: number) {
  const s = splitter();
  const parts: Buffer[] = [];
  let counted = 0;
  const quarantine: Record<string, unknown>[] = [];
  for (let i = 0; i < rows.length; i += batch) {
    const out = s.pushStaged(rows.slice(i, i + batch));
    for (const c of out.chunks) {
      // Each chunk reports its longest line exactly (the sink sizes its reader's buffers from it).
      expect(c.longestLine).toBe(longestLineOf(c.bytes));
      parts.push(c.bytes);
      counted += c.rows;
    }
    quarantine.push(...out.quarantine);
  }
  const hashBeforeTake = s.stats().result_hash;
  const rest = s.takeStaged();
  if (rest) {
    expect(rest.longestLine).toBe(longestLineOf(rest.bytes));
    parts.push(rest.bytes);
    counted += rest.rows;
  }
  return { text: Buffer.concat(parts).toString('utf8'), counted, quarantine, stats: s.stats(), hashBeforeTake };
}

describe('fused staged writer', () => {
  it('writes exactly the staged text of the object path, quarantines the same rows, hashes the same', () => {
    let valid = 0;
    let quarantined = 0;
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (rows, batch) => {
        const a = objectPath(rows, batch);
        const b = fusedPath(rows, batch);
        expect(b.text).toBe(a.text);
        expect(b.counted).toBe(a.stats.valid_rows);
        expect(b.quarantine).toEqual(a.quarantine);
        expect(b.stats).toEqual(a.stats);
        expect(b.hashBeforeTake).toBe(a.stats.result_hash);
        valid += a.stats.valid_rows;
        quarantined += a.stats.quarantine_rows;
      }),
      { numRuns: 150, seed: 7 },
    );
    // Both paths were exercised in earnest.
    expect(valid).toBeGreaterThan(300);
    expect(quarantined).toBeGreaterThan(50);
  });

  it('returns null with the validator’s violations for a bad row, and a line for a good one', () => {
    const validator = compileValidator(contract);
    const write = validator.stagedLineWriter();
    const sink = { violations: null as unknown as never };
    const bad: ParserRow = { id: '', qty: 'x', px: '1e3', side: 'HOLD' };
    expect(write(bad, sink)).toBeNull();
    const expected = validator.validate(bad);
    expect(expected.ok).toBe(false);
    expect(sink.violations).toEqual(expected.ok ? null : expected.violations);
    const good: ParserRow = { id: 'E\u001e1', note: '', flag: true, px: '-0.50', line_number: 3, source_offset: '40', source_length: 9 };
    const line = write(good, sink);
    expect(sink.violations).toBeNull();
    // contract cells ('' is NULL), then line_number, message_index, five constants (empty), offset, length
    expect(line).toBe(['\u001eE\u001e\u001e1\u001e', '', '', '', 'true', '', '', '', '', '-0.5000000000', '', '3', '', '', '', '', '', '', '40', '9'].join('\u001f'));
  });

  it('spans chunks: large batches come back in whole-line chunks whose bytes and counts add up', () => {
    // result_hash's blocks (message_index / BLOCK_MESSAGES): none, runs of a block, a block per row
    // (so the row that moves the writer to a new Buffer starts a block).
    for (const index of [(): number | null => null, (i: number) => i, (i: number) => i * BLOCK_MESSAGES]) {
      const rows: ParserRow[] = Array.from({ length: 30_000 }, (_, i) => ({
        id: `E${i}`, note: 'x'.repeat(i % 300), px: `${i}.25`, line_number: i + 1, message_index: index(i), __cf_row_id: i,
      }));
      const b = fusedPath(rows, 4096);
      const a = objectPath(rows, 4096);
      expect(b.counted).toBe(30_000);
      expect(b.text).toBe(a.text);
      expect(b.stats.result_hash).toBe(a.stats.result_hash);
    }
  });

  it('result_hash ignores the job id and the clock, sees the contract hash and any value', () => {
    const rows: ParserRow[] = Array.from({ length: 20 }, (_, i) => ({ id: `E${i}`, px: `${i}.5`, line_number: i + 1 }));
    const hash = (l: Lineage, r = rows) => {
      const s = splitter(l);
      s.pushStaged(r);
      return s.stats().result_hash;
    };
    const h = hash(lineage);
    expect(hash({ ...lineage, jobId: 'job-2', processedAt: '2030-01-01 00:00:00+00' })).toBe(h);
    expect(hash({ ...lineage, contractHash: 'd'.repeat(64) })).not.toBe(h);
    expect(hash({ ...lineage, sourceHash: 'b'.repeat(64) })).not.toBe(h);
    expect(hash(lineage, rows.map((r, i) => (i === 3 ? { ...r, line_number: 99 } : r)))).not.toBe(h);
  });

  it('a splitter is used through one path only', () => {
    const s = splitter();
    s.pushStaged([{ id: 'E1' }]);
    expect(() => s.push([{ id: 'E2' }])).toThrow(/splitter.mixed_paths/);
  });

  it('position cells: numbers and numeric text as numbers, empty as NULL, anything else refused', () => {
    expect(positionCell(12)).toBe('12');
    expect(positionCell('007')).toBe('7');
    expect(positionCell('')).toBe('');
    expect(positionCell(null)).toBe('');
    expect(positionCell(undefined)).toBe('');
    expect(() => positionCell('abc')).toThrow(/sink.bad_number/);
    expect(() => positionCell(Infinity)).toThrow(/sink.bad_number/);
  });
});
