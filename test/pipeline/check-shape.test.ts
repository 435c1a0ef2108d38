import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../../lib/contracts/column-type';
import { findReservedColumns } from '../../lib/pipeline/check-shape';
import { compileValidator } from '../../lib/pipeline/compile-validator';
import { contractOf } from './helpers';

const cols: ColumnSpec[] = [
  { name: 'a', type: 'string', nullable: false },
  { name: 'b', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true },
  { name: 'c', type: 'date', nullable: true },
];
const shape = (mode: 'strict' | 'allow_extra' | 'allow_missing_optional', actual: (string | ColumnSpec)[]) =>
  compileValidator(contractOf(cols, { mode })).checkShape(actual);

describe('checkShape', () => {
  it('ignores position columns (they are lineage, not contract columns)', () => {
    const r = shape('strict', ['line_number', 'message_index', 'source_offset', 'source_length', '__cf_row_id', 'a', 'b', 'c']);
    expect(r.ok).toBe(true);
    expect(r.code).toBeNull();
    expect(r.diagnostics).toEqual({ missing: [], extra: [], order: null, types: [], reserved: [] });
  });

  it.each([
    ['strict', ['a', 'b', 'c', 'x'], false, { extra: ['x'] }],
    ['allow_extra', ['a', 'b', 'c', 'x'], true, { extra: ['x'] }],
    ['allow_missing_optional', ['a', 'b', 'c', 'x'], true, { extra: ['x'] }],
    ['strict', ['a', 'b'], false, { missing: ['c'] }],
    ['allow_extra', ['a', 'b'], false, { missing: ['c'] }],
    ['allow_missing_optional', ['a', 'b'], true, { missing: ['c'] }],
    ['allow_missing_optional', ['b', 'c'], false, { missing: ['a'] }], // a is not nullable
  ] as const)('%s with %j → ok %s', (mode, actual, ok, diag) => {
    const r = shape(mode, [...actual]);
    expect(r.ok).toBe(ok);
    expect(r.code).toBe(ok ? null : 'schema_mismatch');
    expect(r.diagnostics).toMatchObject(diag);
  });

  it('reports a different order without failing', () => {
    const r = shape('strict', ['c', 'a', 'b']);
    expect(r.ok).toBe(true);
    expect(r.diagnostics.order).toEqual({ expected: ['a', 'b', 'c'], actual: ['c', 'a', 'b'] });
  });

  it('fails on a declared type of another family, not on a compatible one', () => {
    const bad = shape('strict', [
      { name: 'a', type: 'int64', nullable: false }, // contract string accepts anything
      { name: 'b', type: 'boolean', nullable: true },
      { name: 'c', type: 'date', nullable: true },
    ]);
    expect(bad.ok).toBe(false);
    expect(bad.diagnostics.types).toEqual([{ column: 'b', expected: 'decimal(10,2)', actual: 'boolean' }]);
    const good = shape('strict', [
      { name: 'a', type: 'string', nullable: false },
      { name: 'b', type: 'int64', nullable: true },
      { name: 'c', type: 'string', nullable: true },
    ]);
    expect(good.ok).toBe(true);
  });

  it('fails on a reserved _cf_ column', () => {
    const r = shape('allow_extra', ['a', 'b', 'c', '_cf_job_id']);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.reserved).toEqual(['_cf_job_id']);
    expect(findReservedColumns(['a', '__cf_row_id', '_cf_x'])).toEqual([
      { code: 'pipeline.reserved_column', column: '_cf_x', message: expect.stringContaining('_cf_x') },
    ]);
  });
});

describe('validate: a row reports every violation', () => {
  it('collects all violations in contract order', () => {
    const v = compileValidator(
      contractOf([
        { name: 'id', type: 'string', nullable: false },
        { name: 'qty', type: 'int64', nullable: false },
        { name: 'px', type: { kind: 'decimal', precision: 5, scale: 2 }, nullable: false },
        { name: 'side', type: { kind: 'enum', values: ['BUY'] }, nullable: true },
        { name: 'ok', type: 'boolean', nullable: true },
      ]),
    );
    const r = v.validate({ id: null, qty: '1.5', px: '1234.5', side: 'SELL', ok: 'yes' });
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.violations.map((x) => [x.column, x.violation_type])).toEqual([
        ['id', 'null_not_allowed'],
        ['qty', 'type_mismatch'],
        ['px', 'precision_exceeded'],
        ['side', 'enum_invalid'],
      ]);
      expect(r.violations.every((x) => x.message.startsWith(`${x.column}: `))).toBe(true);
    }
    const good = v.validate({ id: 'X', qty: '2', px: '1.5', side: '', ok: 'N', extra: 'ignored' });
    expect(good).toEqual({ ok: true, values: { id: 'X', qty: '2', px: '1.50', side: null, ok: false } });
  });

  it('a missing optional column (allow_missing_optional) is null', () => {
    const v = compileValidator(contractOf([{ name: 'a', type: 'int64', nullable: true }], { mode: 'allow_missing_optional' }));
    expect(v.validate({})).toEqual({ ok: true, values: { a: null } });
  });
});

describe('generated row code is safe for any column name', () => {
  it('handles quotes, backslashes, newlines, unicode and JS-looking names', () => {
    const names = ['a"b', "c'd", 'e\\f', 'g\nh', 'ünï €', '}; throw 1; //', 'constructor', 'toString'];
    const v = compileValidator(contractOf(names.map((name) => ({ name, type: 'int64' as const, nullable: false }))));
    const row = Object.fromEntries(names.map((n, i) => [n, String(i)]));
    const r = v.validate(row);
    expect(r).toEqual({ ok: true, values: Object.fromEntries(names.map((n, i) => [n, String(i)])) });
    const bad = v.validate({});
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.violations.map((x) => x.column)).toEqual(names);
  });
});

describe('without eval (a CSP without unsafe-eval)', () => {
  it('falls back to the interpreted row loop with the same results', () => {
    const original = globalThis.Function;
    const contract = contractOf([
      { name: 'q', type: 'int64', nullable: false },
      { name: 'b', type: 'boolean', nullable: true },
    ]);
    const expected = [compileValidator(contract).validate({ q: '007', b: true }), compileValidator(contract).validate({ q: 'x' })];
    // Function is the constructor used for generated code; make it throw like a CSP would.
    let refused = 0;
    globalThis.Function = function () {
      refused++;
      throw new EvalError('Code generation from strings disallowed');
    } as unknown as FunctionConstructor;
    try {
      const v = compileValidator(contract);
      expect(refused).toBe(1);
      expect([v.validate({ q: '007', b: true }), v.validate({ q: 'x' })]).toEqual(expected);
    } finally {
      globalThis.Function = original;
    }
  });
});
