import type { ColumnSpec, ColumnType } from '../../lib/contracts/column-type';
import { parseContractDocument, type ContractDocument } from '../../lib/contracts/contract-document';
import { compileValidator } from '../../lib/pipeline/compile-validator';

/** A contract of the given columns, through the real document parser (throws on problems). */
export function contractOf(columns: ColumnSpec[], extra: Partial<ContractDocument> = {}): ContractDocument {
  const r = parseContractDocument({
    parser_id: 'test',
    parser_version: '1.0.0',
    output: 'out',
    mode: 'strict',
    columns,
    quarantine: { allow_quarantine: true, max_quarantine_pct: 10, max_quarantine_count: null },
    ...extra,
  });
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.contract;
}

/** Validates one value in a one-column contract: the typed value, or the violation types. */
export function validateOne(type: ColumnType, value: string | number | boolean | null, opts: { format?: string; nullable?: boolean } = {}) {
  const spec: ColumnSpec = { name: 'v', type, nullable: opts.nullable ?? true, ...(opts.format ? { format: opts.format } : {}) };
  const r = compileValidator(contractOf([spec])).validate({ v: value });
  return r.ok ? { value: r.values.v } : { violations: r.violations.map((x) => x.violation_type) };
}
