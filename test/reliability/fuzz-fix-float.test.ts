// FIX floats (issue 10): a FIX Price / Qty has an optional '-', digits and an optional point; no
// '+', no exponent. The FIX default contracts declare their decimal columns with format
// `fix_float` (lib/contracts/decimal-format.ts), checked by lib/pipeline/lexical/decimal.ts.
// Property (FUZZ_RUNS runs, logged seed, failures saved as regression fixtures): over strings of
// decimal-ish characters, the fix_float check accepts exactly the FIX float grammar within
// DECIMAL(24,10), gives the canonical value decimal.js computes, and refuses '+' as
// format_invalid; the general decimal rule (CSV confirmations) still reads '+'.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseContractDocument } from '../../lib/contracts/contract-document';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import { fixParser } from '../../lib/fix/fix-parser';
import { getParser } from '../../lib/parsers/registry';
import { compileValidator } from '../../lib/pipeline/compile-validator';
import { fixFloatProperty } from './fuzz-fix-cases';
import { fuzzRuns, runFuzz } from './fuzz-harness';

const decimalish = fc.string({ unit: fc.constantFrom(...'+-.0123456789eE x'), minLength: 1, maxLength: 30 });

describe('FIX floats (format fix_float)', () => {
  it(`the fix_float check accepts exactly the FIX float grammar (${fuzzRuns()} runs)`, async () => {
    const out = await runFuzz('fix-float-lexical', [decimalish], fixFloatProperty);
    expect(out.fixture === null ? null : { fixture: out.fixture, seed: out.seed, error: out.error }).toBeNull();
  }, 120_000);

  it('the FIX default contracts declare every decimal column fix_float; the validator refuses +12.5 as format_invalid', () => {
    for (const output of fixParser.outputs) {
      const contract = defaultContractFor(fixParser, output.name);
      expect(parseContractDocument(contract).ok).toBe(true);
      for (const c of contract.columns) if (typeof c.type === 'object' && c.type.kind === 'decimal') expect(c.format, c.name).toBe('fix_float');
    }
    const v = compileValidator(defaultContractFor(fixParser, 'fix_order_events'));
    const r = v.validate({ price: '+12.5', order_qty: '100', last_px: '-0.5' } as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.violations.filter((x) => ['price', 'order_qty', 'last_px'].includes(x.column)).map((x) => [x.column, x.violation_type])).toEqual([['price', 'format_invalid']]);
  });

  it('confirmations keep the general decimal rule (a CSV price may carry +)', () => {
    const parser = getParser('confirmations_csv')!;
    const contract = defaultContractFor(parser, parser.outputs[0].name);
    expect(contract.columns.some((c) => c.format === 'fix_float')).toBe(false);
  });

  it('a contract may name fix_float on a decimal column only', () => {
    const doc = (col: object) => ({ parser_id: 'x', parser_version: '1', output: 'o', mode: 'strict', columns: [{ name: 'p', nullable: true, ...col }] });
    expect(parseContractDocument(doc({ type: { kind: 'decimal', precision: 18, scale: 4 }, format: 'fix_float' })).ok).toBe(true);
    for (const bad of [
      { type: { kind: 'decimal', precision: 18, scale: 4 }, format: 'iso8601' },
      { type: { kind: 'decimal', precision: 18, scale: 4 }, format: 'fix_floats' },
      { type: 'string', format: 'fix_float' },
      { type: 'float64', format: 'fix_float' },
      { type: 'date', format: 'fix_float' },
    ]) {
      const r = parseContractDocument(doc(bad));
      expect(r.ok, JSON.stringify(bad)).toBe(false);
      if (!r.ok) expect(r.problems.map((p) => `${p.code} ${p.path}`)).toEqual(['contract.format_invalid columns[0].format']);
    }
  });
});
