import { describe, expect, it } from 'vitest';
import type { ParserRow } from '../../lib/parsers/parser-types';
import { compileValidator } from '../../lib/pipeline/compile-validator';
import { createOutputSplitter, type Lineage } from '../../lib/pipeline/output-splitter';
import { contractOf } from './helpers';

const contract = contractOf([
  { name: 'exec_id', type: 'string', nullable: false },
  { name: 'price', type: { kind: 'decimal', precision: 18, scale: 4 }, nullable: false },
  { name: 'ts', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true },
]);
const lineage: Lineage = {
  sourceHash: 'a'.repeat(64),
  jobId: 'job-1',
  processedAt: new Date('2026-01-02T03:04:05.678Z'),
  parserVersion: '1.0.0',
  contractHash: 'c'.repeat(64),
};
const pos = (i: number) => ({ line_number: i + 1, message_index: i, source_offset: i * 100, source_length: 99, __cf_row_id: i });
const splitter = (l: Lineage = lineage) => createOutputSplitter({ contract, validator: compileValidator(contract), lineage: l });

describe('createOutputSplitter', () => {
  it('valid rows: typed contract columns then exactly the lineage columns', () => {
    const s = splitter();
    const { valid, quarantine } = s.push([{ ...pos(0), exec_id: 'E1', price: '-0.50', ts: '2024-01-02T03:04:05Z', extra: 'x' }]);
    expect(quarantine).toEqual([]);
    expect(valid).toEqual([
      {
        exec_id: 'E1',
        price: '-0.5000',
        ts: '2024-01-02 03:04:05.000000+00',
        line_number: 1,
        message_index: 0,
        _cf_source_hash: lineage.sourceHash,
        _cf_job_id: 'job-1',
        _cf_processed_at: '2026-01-02 03:04:05.678000+00',
        _cf_parser_version: '1.0.0',
        _cf_contract_hash: lineage.contractHash,
        _cf_source_offset: 0,
        _cf_source_length: 99,
      },
    ]);
    expect(Object.keys(valid[0])).toEqual([
      'exec_id', 'price', 'ts', 'line_number', 'message_index', '_cf_source_hash', '_cf_job_id',
      '_cf_processed_at', '_cf_parser_version', '_cf_contract_hash', '_cf_source_offset', '_cf_source_length',
    ]);
  });

  it('quarantine rows: original text, every violation, first type, source row', () => {
    const s = splitter();
    const { valid, quarantine } = s.push([{ ...pos(7), exec_id: '', price: '1e3', ts: '2024-01-02T03:04:05', note: 'n' }]);
    expect(valid).toEqual([]);
    const q = quarantine[0];
    expect(q).toMatchObject({
      exec_id: '', // the original text, as it came
      price: '1e3',
      ts: '2024-01-02T03:04:05',
      _extra_columns: '{"note":"n"}',
      _violation_type: 'null_not_allowed',
      _cf_job_id: 'job-1',
      _source_row: 7,
      _output_row_index: null,
      line_number: 8,
      message_index: 7,
      _cf_source_offset: 700,
      _cf_source_length: 99,
    });
    const list = JSON.parse(q._violations as string);
    expect(list.map((v: { violation_type: string }) => v.violation_type)).toEqual(['null_not_allowed', 'type_mismatch', 'timezone_required']);
    expect(q._error_msg).toBe(list.map((v: { message: string }) => v.message).join('; '));
    const st = s.stats();
    expect(st).toMatchObject({ rows: 1, valid_rows: 0, quarantine_rows: 1, lineage_unavailable_rows: 0, warnings: [] });
    expect(st.violations).toMatchObject({ null_not_allowed: 1, type_mismatch: 1, timezone_required: 1, precision_exceeded: 0 });
  });

  it('without __cf_row_id: _output_row_index, a lineage warning and the lineage_unavailable_rows metric', () => {
    const s = splitter();
    const rows: ParserRow[] = [
      { exec_id: 'E1', price: '1', ts: null },
      { exec_id: 'E2', price: 'x', ts: null },
    ];
    s.push(rows);
    const { quarantine } = s.push([{ exec_id: 'E3', price: 'y', ts: null }]);
    expect(quarantine[0]).toMatchObject({ _source_row: null, _output_row_index: 2, line_number: null });
    const st = s.stats();
    expect(st.lineage_unavailable_rows).toBe(3);
    expect(st.warnings).toHaveLength(1);
    expect(st.warnings[0]).toContain('_output_row_index');
  });

  it('notices reserved _cf_ columns emitted by the parser', () => {
    const s = splitter();
    s.push([{ ...pos(0), exec_id: 'E', price: '1', ts: null, _cf_job_id: 'forged' }]);
    expect(s.stats().reserved_columns).toEqual(['_cf_job_id']);
  });

  it('result_hash is deterministic across runs, ignores _cf_processed_at and _cf_job_id, and sees any value', () => {
    const rows: ParserRow[] = Array.from({ length: 50 }, (_, i) => ({ ...pos(i), exec_id: `E${i}`, price: `${i}.25`, ts: null }));
    const run = (l: Lineage, r = rows) => {
      const s = splitter(l);
      for (let i = 0; i < r.length; i += 7) s.push(r.slice(i, i + 7));
      return s.stats().result_hash;
    };
    const h1 = run(lineage);
    expect(h1).toMatch(/^[0-9a-f]{64}$/);
    expect(run(lineage)).toBe(h1);
    expect(run({ ...lineage, processedAt: '2030-01-01 00:00:00+00', jobId: 'job-2' })).toBe(h1);
    expect(run({ ...lineage, contractHash: 'd'.repeat(64) })).not.toBe(h1);
    const changed = rows.map((r, i) => (i === 49 ? { ...r, price: '49.26' } : r));
    expect(run(lineage, changed)).not.toBe(h1);
  });
});

describe('parserRowFromQuarantine (replay)', () => {
  it('restores the parser row, so an amended contract can validate it again', async () => {
    const { parserRowFromQuarantine } = await import('../../lib/pipeline/replay-row');
    const original: ParserRow = { ...pos(3), exec_id: 'E3', price: '1.123456', ts: null, note: 'kept' };
    const { quarantine } = splitter().push([original]); // scale 4 < 6 fraction digits
    expect(quarantine).toHaveLength(1);
    const back = parserRowFromQuarantine(quarantine[0]);
    expect(back).toEqual(original);
    const amended = contractOf([
      { name: 'exec_id', type: 'string', nullable: false },
      { name: 'price', type: { kind: 'decimal', precision: 18, scale: 6 }, nullable: false },
      { name: 'ts', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true },
    ]);
    const again = createOutputSplitter({ contract: amended, validator: compileValidator(amended), lineage }).push([back]);
    expect(again.valid).toHaveLength(1);
    expect(again.valid[0]).toMatchObject({ price: '1.123456', line_number: 4, message_index: 3, _cf_source_offset: 300 });
  });
});
