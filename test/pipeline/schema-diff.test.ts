import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../lib/contracts/column-type';
import type { ParserRow } from '../../lib/parsers/parser-types';
import { inferObservedSchema } from '../../lib/pipeline/observed-schema';
import { diffSchemas } from '../../lib/pipeline/schema-diff';
import { contractOf } from './helpers';

const rows: ParserRow[] = [
  { line_number: 1, __cf_row_id: 0, qty: '100', px: '101.25', big: '00012.3000', flag: 'Y', d: '2024-01-02', fd: '20240102', ts: '2024-01-02T03:04:05Z', nts: '2024-01-02T03:04:05', fts: '20240102-03:04:05.123', s: 'abc', side: 'BUY', empty: '' },
  { line_number: 2, __cf_row_id: 1, qty: '-7', px: '-0.5', big: '1', flag: 'n', d: '2024-02-29', fd: '20241231', ts: '2024-01-02T03:04:05+01:00', nts: '2024-01-02 03:04', fts: '20240102-03:04:05', s: '12', side: 'SELL', empty: null },
  { line_number: 3, __cf_row_id: 2, qty: '', px: '3', big: '123456.1', flag: 'true', d: '', fd: '20240229', ts: '', nts: '', fts: '', s: '', side: 'SELL' },
];

describe('inferObservedSchema', () => {
  const schema = inferObservedSchema(rows);
  const col = (n: string) => schema.columns.find((c) => c.name === n)!;

  it('skips position columns and reads each column narrowly', () => {
    expect(schema.rows).toBe(3);
    expect(schema.columns.map((c) => c.name)).not.toContain('line_number');
    expect(schema.columns.map((c) => c.name)).not.toContain('__cf_row_id');
    expect(col('qty')).toMatchObject({ type: 'integer', column_type: 'int64', null_count: 1, nullable: true });
    expect(col('qty').null_ratio).toBeCloseTo(1 / 3);
    expect(col('px')).toMatchObject({ type: 'decimal', column_type: { kind: 'decimal', precision: 5, scale: 2 }, nullable: false, null_ratio: 0 });
    // leading zeros do not count; the largest integer part and the largest fraction are combined
    expect(col('big').column_type).toEqual({ kind: 'decimal', precision: 10, scale: 4 });
    expect(col('flag')).toMatchObject({ type: 'boolean', column_type: 'boolean' });
    expect(col('d')).toMatchObject({ type: 'date', format: 'iso8601' });
    expect(col('fd')).toMatchObject({ type: 'date', format: 'fix_local_mkt_date' });
    expect(col('ts')).toMatchObject({ type: 'timestamp_tz', format: 'iso8601' });
    expect(col('nts')).toMatchObject({ type: 'timestamp', format: 'iso8601' });
    expect(col('fts')).toMatchObject({ type: 'timestamp_tz', format: 'fix_utc_timestamp' });
    expect(col('s')).toMatchObject({ type: 'string' });
    expect(col('empty')).toMatchObject({ type: 'empty', column_type: null, null_ratio: 1 });
    expect(col('side').distinct_values).toEqual(['BUY', 'SELL']);
  });

  it('reads single letters as booleans only when both truth values appear', () => {
    const s = inferObservedSchema([{ a: 'F', b: 'Y', c: '1' }, { a: 'F', b: 'N', c: '0' }]);
    expect(s.columns.map((c) => c.type)).toEqual(['string', 'boolean', 'integer']);
    expect(s.columns[0].readable.boolean).toBe(true); // still readable as boolean by a contract
  });
});

describe('diffSchemas', () => {
  const observed = inferObservedSchema(rows);
  const spec = (name: string, type: ColumnSpec['type'], nullable = true, format?: string): ColumnSpec => ({ name, type, nullable, ...(format ? { format } : {}) });

  it('observed vs a contract: missing, extra, type and nullability mismatches', () => {
    const contract = contractOf(
      [
        spec('qty', { kind: 'decimal', precision: 18, scale: 4 }, false), // integers fit a decimal; but nulls seen
        spec('px', { kind: 'decimal', precision: 18, scale: 1 }), // 2 fraction digits seen
        spec('fd', 'date', true, 'fix_local_mkt_date'),
        spec('ts', { kind: 'timestamp_tz', tz: 'UTC' }),
        spec('nts', { kind: 'timestamp_tz', tz: 'UTC' }), // naive values
        spec('side', { kind: 'enum', values: ['BUY'] }),
        spec('flag', 'boolean'),
        spec('empty', 'int64', false),
        spec('gone', 'string'),
      ],
      { mode: 'allow_extra' },
    );
    const d = diffSchemas(observed, contract);
    expect(d.source).toBe('observed');
    expect(d.target).toBe('contract');
    expect(d.missing).toEqual([{ name: 'gone', type: 'string', nullable: true, optional: false }]);
    expect(d.extra.map((e) => e.name).sort()).toEqual(['big', 'd', 'fts', 's']);
    expect(d.extra.every((e) => e.allowed)).toBe(true);
    expect(d.type_mismatches.map((m) => m.name)).toEqual(['px', 'nts', 'side']);
    expect(d.type_mismatches.find((m) => m.name === 'nts')!.reason).toContain('timezone_required');
    expect(d.nullability_mismatches.map((m) => m.name)).toEqual(['qty', 'empty']);
    expect(d.blocking).toBe(true);
    expect(d.ok).toBe(false);
  });

  it('a fitting contract gives an empty diff; a luxon pattern is checked on the samples', () => {
    const good = contractOf([
      spec('qty', 'int64'),
      spec('fd', 'date', true, 'yyyyMMdd'),
      spec('fts', { kind: 'timestamp_tz', tz: 'UTC' }, true, 'fix_utc_timestamp'),
      spec('s', 'string'),
    ], { mode: 'allow_extra' });
    const d = diffSchemas(observed, good);
    expect(d).toMatchObject({ ok: true, blocking: false, missing: [], type_mismatches: [], nullability_mismatches: [] });
    const bad = diffSchemas(observed, contractOf([spec('d', 'date', true, 'dd/MM/yyyy')], { mode: 'allow_extra' }));
    expect(bad.type_mismatches.map((m) => m.name)).toEqual(['d']);
  });

  it('strict mode: extras are not allowed; allow_missing_optional: nullable missing is optional', () => {
    const strict = diffSchemas(observed, contractOf([spec('qty', 'int64')]));
    expect(strict.ok).toBe(false);
    expect(strict.blocking).toBe(false);
    const optional = diffSchemas(inferObservedSchema([{ a: '1' }]), contractOf([spec('a', 'int64'), spec('b', 'string')], { mode: 'allow_missing_optional' }));
    expect(optional).toMatchObject({ ok: true, missing: [{ name: 'b', optional: true }] });
  });

  it('intent vs contract: declared type, format and nullability differences', () => {
    const intent = [spec('a', { kind: 'decimal', precision: 18, scale: 4 }), spec('b', 'date', true, 'yyyy-MM-dd'), spec('c', 'string', false), spec('x', 'string')];
    const contract = contractOf([spec('a', { kind: 'decimal', precision: 18, scale: 6 }), spec('b', 'date', false, 'iso8601'), spec('c', 'string', false), spec('y', 'int64')], { mode: 'allow_extra' });
    const d = diffSchemas(intent, contract);
    expect(d.source).toBe('declared');
    expect(d.type_mismatches.map((m) => [m.name, m.expected, m.observed])).toEqual([
      ['a', 'decimal(18,6)', 'decimal(18,4)'],
      ['b', 'date format iso8601', 'date format yyyy-MM-dd'],
    ]);
    expect(d.nullability_mismatches.map((m) => m.name)).toEqual(['b']);
    expect(d.missing.map((m) => m.name)).toEqual(['y']);
    expect(d.extra).toEqual([{ name: 'x', type: 'string', allowed: true }]);
    expect(JSON.parse(JSON.stringify(d))).toEqual(d);
  });
});
