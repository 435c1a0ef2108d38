import { describe, expect, it } from 'vitest';
import { contractDocumentSchema, parseContractDocument } from '../../lib/contracts/contract-document';

const base = {
  parser_id: 'confirmations_csv',
  parser_version: '1.0.0',
  output: 'confirmations',
  mode: 'strict',
  columns: [
    { name: 'exec_id', type: 'string', nullable: false },
    { name: 'quantity', type: 'int64', nullable: false },
    { name: 'price', type: { kind: 'decimal', precision: 18, scale: 6 }, nullable: false },
    { name: 'side', type: { kind: 'enum', values: ['BUY', 'SELL', 'SELL_SHORT'] }, nullable: false },
    { name: 'trade_date', type: 'date', nullable: false, format: 'yyyy-MM-dd' },
    { name: 'transact_time', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'iso8601' },
  ],
  quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null },
};

const withColumns = (columns: unknown[], extra: object = {}) => ({ ...base, columns, ...extra });
const codes = (doc: unknown) => {
  const r = parseContractDocument(doc);
  return r.ok ? [] : r.problems.map((p) => `${p.code} ${p.path}`);
};

describe('parseContractDocument', () => {
  it('accepts the example document of issue 3', () => {
    const r = parseContractDocument(base);
    expect(r.ok).toBe(true);
  });

  it('fills the default quarantine policy (allow_quarantine false, 10 %, no count limit)', () => {
    const { quarantine: _q, ...doc } = base;
    const r = parseContractDocument(doc);
    expect(r.ok && r.contract.quarantine).toEqual({ allow_quarantine: false, max_quarantine_pct: 10, max_quarantine_count: null });
  });

  it.each([
    ['an unknown zone', [{ name: 't', type: { kind: 'timestamp_tz', tz: 'Mars/Olympus' }, nullable: true }], 'contract.unknown_zone columns[0].type.tz'],
    ['an empty-ish offset zone', [{ name: 't', type: { kind: 'timestamp_tz', tz: '+05:00' }, nullable: true }], 'contract.unknown_zone columns[0].type.tz'],
    ['a list', [{ name: 'l', type: { kind: 'list', of: 'string' }, nullable: true }], 'contract.nested_type_refused columns[0].type'],
    ['a struct', [{ name: 's', type: { kind: 'struct', fields: [{ name: 'a', type: 'int64' }] }, nullable: true }], 'contract.nested_type_refused columns[0].type'],
    ['a _cf_ column', [{ name: '_cf_job_id', type: 'string', nullable: true }], 'contract.reserved_name columns[0].name'],
    ['a position column', [{ name: 'line_number', type: 'int64', nullable: true }], 'contract.reserved_name columns[0].name'],
    ['__proto__', [{ name: '__proto__', type: 'string', nullable: true }], 'contract.reserved_name columns[0].name'],
    ['a format on a decimal', [{ name: 'p', type: { kind: 'decimal', precision: 5, scale: 2 }, nullable: true, format: 'iso8601' }], 'contract.format_invalid columns[0].format'],
    ['a pattern without a day', [{ name: 'd', type: 'date', nullable: true, format: 'yyyy-MM' }], 'contract.format_invalid columns[0].format'],
    ['a timestamp pattern without the hour', [{ name: 'd', type: 'timestamp', nullable: true, format: 'yyyy-MM-dd' }], 'contract.format_invalid columns[0].format'],
    ['fix_local_mkt_date on a timestamp', [{ name: 'd', type: 'timestamp', nullable: true, format: 'fix_local_mkt_date' }], 'contract.format_invalid columns[0].format'],
    ['fix_utc_timestamp on a date', [{ name: 'd', type: 'date', nullable: true, format: 'fix_utc_timestamp' }], 'contract.format_invalid columns[0].format'],
  ])('refuses %s with a stable code', (_what, columns, expected) => {
    expect(codes(withColumns(columns))).toEqual([expected]);
  });

  it('accepts nested types when allow_nested_types is set', () => {
    expect(codes(withColumns([{ name: 'l', type: { kind: 'list', of: 'string' }, nullable: true }], { allow_nested_types: true }))).toEqual([]);
  });

  it('reports duplicate columns, case-insensitively (DuckDB identifiers are)', () => {
    const cols = [
      { name: 'price', type: 'string', nullable: true },
      { name: 'Price', type: 'string', nullable: true },
    ];
    expect(codes(withColumns(cols))).toEqual(['contract.duplicate_column columns[1].name']);
  });

  it('reports every problem, not only the first', () => {
    const cols = [
      { name: '_cf_x', type: { kind: 'timestamp_tz', tz: 'Nowhere/Land' }, nullable: true },
      { name: '_CF_X', type: { kind: 'list', of: 'int64' }, nullable: true },
    ];
    expect(codes(withColumns(cols)).sort()).toEqual(
      [
        'contract.reserved_name columns[0].name',
        'contract.unknown_zone columns[0].type.tz',
        'contract.duplicate_column columns[1].name',
        'contract.nested_type_refused columns[1].type',
      ].sort(),
    );
  });

  it.each([
    ['decimal precision 39', { kind: 'decimal', precision: 39, scale: 0 }],
    ['decimal scale above precision', { kind: 'decimal', precision: 5, scale: 6 }],
    ['an unknown primitive', 'money'],
    ['an empty enum', { kind: 'enum', values: [] }],
    ['timestamp_tz without a zone', { kind: 'timestamp_tz' }],
  ])('structural problems are contract.invalid: %s', (_what, type) => {
    const c = codes(withColumns([{ name: 'x', type, nullable: true }]));
    expect(c.length).toBeGreaterThan(0);
    expect(c.every((x) => x.startsWith('contract.invalid columns[0].type'))).toBe(true);
  });

  it('refuses unknown keys, an unknown mode and a bad policy', () => {
    expect(codes({ ...base, extra_key: 1 })).toEqual(['contract.invalid ']);
    expect(codes({ ...base, mode: 'loose' })).toEqual(['contract.invalid mode']);
    expect(codes({ ...base, quarantine: { allow_quarantine: true, max_quarantine_pct: 101 } })).toEqual(['contract.invalid quarantine.max_quarantine_pct']);
    expect(codes({ ...base, columns: [] })).toEqual(['contract.invalid columns']);
  });

  it('contractDocumentSchema.parse accepts exactly what parseContractDocument accepts', () => {
    const bad = withColumns([{ name: 't', type: { kind: 'timestamp_tz', tz: 'Mars/Olympus' }, nullable: true }]);
    expect(() => contractDocumentSchema.parse(bad)).toThrow();
    expect(contractDocumentSchema.parse(base).columns).toHaveLength(6);
  });

  it('accepts IANA zones and luxon patterns with literals', () => {
    const cols = [
      { name: 'a', type: { kind: 'timestamp_tz', tz: 'Europe/London' }, nullable: true, format: "yyyy-MM-dd'T'HH:mm:ss" },
      { name: 'b', type: { kind: 'timestamp_tz', tz: 'Asia/Kolkata' }, nullable: true, format: 'fix_utc_timestamp' },
      { name: 'c', type: 'date', nullable: true, format: 'fix_local_mkt_date' },
    ];
    expect(codes(withColumns(cols))).toEqual([]);
  });
});
