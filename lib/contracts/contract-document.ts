import { IANAZone } from 'luxon';
import { z } from 'zod';
import { columnSpecSchema, type ColumnType } from './column-type';
import { DECIMAL_FORMATS, isDecimalFormat, isDecimalType } from './decimal-format';
import { isReservedContractColumn } from './reserved-names';
import { resolveTemporalFormat, temporalKindOf } from './temporal-format';

// The schema contract of one output scope (parser id, parser version, output), as a JSON
// document. `contractDocumentSchema` checks structure AND meaning (zones, formats, names), so
// `contractDocumentSchema.parse` and `parseContractDocument` accept exactly the same documents;
// the latter returns the problems as data with stable codes instead of throwing.

export const CONTRACT_MODES = ['strict', 'allow_extra', 'allow_missing_optional'] as const;
export type ContractMode = (typeof CONTRACT_MODES)[number];

export const DEFAULT_QUARANTINE_POLICY = {
  allow_quarantine: false,
  max_quarantine_pct: 10,
  max_quarantine_count: null,
} as const;

export const quarantinePolicySchema = z
  .object({
    allow_quarantine: z.boolean().default(DEFAULT_QUARANTINE_POLICY.allow_quarantine),
    /** Percent of the output's rows, 0–100; trips only when strictly exceeded. */
    max_quarantine_pct: z.number().min(0).max(100).default(DEFAULT_QUARANTINE_POLICY.max_quarantine_pct),
    /** Row count; null = no count limit; trips only when strictly exceeded. */
    max_quarantine_count: z.number().int().min(0).nullable().default(null),
  })
  .strict();
export type QuarantinePolicy = z.output<typeof quarantinePolicySchema>;

/** The three policy values, in display order. */
export const QUARANTINE_POLICY_KEYS = ['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'] as const;
export type QuarantinePolicyKey = (typeof QUARANTINE_POLICY_KEYS)[number];

export type ContractProblemCode =
  | 'contract.invalid'
  | 'contract.nested_type_refused'
  | 'contract.unknown_zone'
  | 'contract.duplicate_column'
  | 'contract.reserved_name'
  | 'contract.format_invalid';

export interface ContractProblem {
  code: ContractProblemCode;
  /** Where in the document, e.g. `columns[2].type.tz`; '' for the document itself. */
  path: string;
  message: string;
}

const baseDocumentSchema = z
  .object({
    parser_id: z.string().min(1),
    parser_version: z.string().min(1),
    output: z.string().min(1),
    mode: z.enum(CONTRACT_MODES),
    columns: z.array(columnSpecSchema).min(1),
    quarantine: quarantinePolicySchema.default({ ...DEFAULT_QUARANTINE_POLICY }),
    /**
     * Policy values this contract does NOT state (issue 6, quarantine settings cascade): each
     * listed key comes from the layers below the contract (global setting, built-in default) and
     * its value in `quarantine` is normalised to the built-in default when read. Absent (every
     * document written before the cascade) = all three stated. Covered by the content hash.
     */
    quarantine_inherit: z.array(z.enum(QUARANTINE_POLICY_KEYS)).optional(),
    allow_nested_types: z.boolean().optional(),
    description: z.string().optional(),
  })
  .strict();

type Semantic = { code: ContractProblemCode; path: (string | number)[]; message: string };

function typeProblems(type: ColumnType, path: (string | number)[], allowNested: boolean, out: Semantic[]): void {
  if (typeof type === 'string') return;
  switch (type.kind) {
    case 'timestamp_tz':
      if (type.tz !== 'UTC' && !IANAZone.isValidZone(type.tz)) {
        out.push({ code: 'contract.unknown_zone', path: [...path, 'tz'], message: `"${type.tz}" is not an IANA time zone (nor UTC)` });
      }
      return;
    case 'list':
    case 'struct':
      if (!allowNested) {
        out.push({ code: 'contract.nested_type_refused', path, message: `${type.kind} columns are refused unless allow_nested_types is set` });
      }
      if (type.kind === 'list') typeProblems(type.of, [...path, 'of'], allowNested, out);
      else type.fields.forEach((f, i) => typeProblems(f.type, [...path, 'fields', i, 'type'], allowNested, out));
      return;
    default:
      return;
  }
}

function semanticProblems(doc: z.output<typeof baseDocumentSchema>): Semantic[] {
  const out: Semantic[] = [];
  const seen = new Map<string, number>();
  doc.columns.forEach((col, i) => {
    const path = ['columns', i];
    // DuckDB identifiers are case-insensitive: `Price` and `price` would be one column.
    const key = col.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      out.push({ code: 'contract.duplicate_column', path: [...path, 'name'], message: `column "${col.name}" duplicates columns[${first}] (names are case-insensitive)` });
    } else seen.set(key, i);
    if (isReservedContractColumn(col.name)) {
      out.push({ code: 'contract.reserved_name', path: [...path, 'name'], message: `column name "${col.name}" is reserved for the pipeline (_cf_*, position and quarantine columns)` });
    }
    typeProblems(col.type, [...path, 'type'], doc.allow_nested_types === true, out);
    const kind = temporalKindOf(col.type);
    if (kind === null) {
      if (col.format !== undefined && isDecimalType(col.type)) {
        if (!isDecimalFormat(col.format)) {
          out.push({ code: 'contract.format_invalid', path: [...path, 'format'], message: `format "${col.format}" is not a decimal format (${DECIMAL_FORMATS.join(', ')})` });
        }
      } else if (col.format !== undefined) {
        out.push({ code: 'contract.format_invalid', path: [...path, 'format'], message: 'format applies only to date, timestamp and timestamp_tz columns (and fix_float to decimal columns)' });
      }
    } else {
      const r = resolveTemporalFormat(kind, col.format);
      if (!r.ok) out.push({ code: 'contract.format_invalid', path: [...path, 'format'], message: r.message });
    }
  });
  return out;
}

export const contractDocumentSchema = baseDocumentSchema
  .superRefine((doc, ctx) => {
    for (const p of semanticProblems(doc)) {
      ctx.addIssue({ code: 'custom', path: p.path, message: p.message, params: { code: p.code } });
    }
  })
  .transform(normaliseInherited);

/**
 * An inherited policy key holds the built-in default in `quarantine` (so a document reads the same
 * whatever was typed there) and `quarantine_inherit` is sorted and free of duplicates; an empty
 * list is dropped (it states everything, like an absent one). Keeps one hash per meaning.
 */
function normaliseInherited<T extends { quarantine: QuarantinePolicy; quarantine_inherit?: QuarantinePolicyKey[] }>(doc: T): T {
  if (doc.quarantine_inherit === undefined) return doc;
  const keys = QUARANTINE_POLICY_KEYS.filter((k) => doc.quarantine_inherit!.includes(k));
  const { quarantine_inherit: _dropped, ...rest } = doc;
  if (keys.length === 0) return rest as T;
  const quarantine: QuarantinePolicy = { ...doc.quarantine };
  for (const k of keys) (quarantine as Record<string, unknown>)[k] = DEFAULT_QUARANTINE_POLICY[k];
  return { ...rest, quarantine, quarantine_inherit: keys } as T;
}
export type ContractDocument = z.output<typeof contractDocumentSchema>;

export function formatPath(path: readonly PropertyKey[]): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else s += (s === '' ? '' : '.') + String(seg);
  }
  return s;
}

export type ParseContractResult = { ok: true; contract: ContractDocument } | { ok: false; problems: ContractProblem[] };

/** Reads a contract document; every problem is reported (not only the first), each with a stable code. */
export function parseContractDocument(json: unknown): ParseContractResult {
  const r = contractDocumentSchema.safeParse(json);
  if (r.success) return { ok: true, contract: r.data };
  const problems = r.error.issues.map((issue): ContractProblem => {
    const params = (issue as { params?: { code?: ContractProblemCode } }).params;
    return {
      code: issue.code === 'custom' && params?.code ? params.code : 'contract.invalid',
      path: formatPath(issue.path),
      message: issue.message,
    };
  });
  return { ok: false, problems };
}
