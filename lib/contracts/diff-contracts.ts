import { canonicalJson } from './canonical-json';
import type { ColumnSpec } from './column-type';
import type { ContractDocument } from './contract-document';
import { describeType } from './describe-type';

// What changed between two versions of a contract, for the side-by-side view and the review of
// an amendment: columns added / removed / moved, type changes (precision, scale, zone, enum values
// included), nullability, format, description, mode, quarantine policy, nested-type permission.

export type ContractChangeKind =
  | 'column_added'
  | 'column_removed'
  | 'column_moved'
  | 'type_changed'
  | 'nullability_changed'
  | 'format_changed'
  | 'description_changed'
  | 'mode_changed'
  | 'policy_changed'
  | 'nested_types_changed';

export interface ContractChange {
  kind: ContractChangeKind;
  /** the column, or null for document-level changes */
  column: string | null;
  before: unknown;
  after: unknown;
  message: string;
}

export interface ContractDiff {
  same: boolean;
  changes: ContractChange[];
}

type Comparable = Pick<ContractDocument, 'columns' | 'mode' | 'quarantine' | 'allow_nested_types'>;

function columnChanges(a: ColumnSpec, b: ColumnSpec, out: ContractChange[]): void {
  const col = b.name;
  if (canonicalJson(a.type) !== canonicalJson(b.type)) {
    out.push({ kind: 'type_changed', column: col, before: a.type, after: b.type, message: `${col}: ${describeType(a.type)} → ${describeType(b.type)}` });
  }
  if (a.nullable !== b.nullable) {
    out.push({ kind: 'nullability_changed', column: col, before: a.nullable, after: b.nullable, message: `${col}: ${a.nullable ? 'nullable' : 'required'} → ${b.nullable ? 'nullable' : 'required'}` });
  }
  if ((a.format ?? null) !== (b.format ?? null)) {
    out.push({ kind: 'format_changed', column: col, before: a.format ?? null, after: b.format ?? null, message: `${col}: format ${a.format ?? '(default)'} → ${b.format ?? '(default)'}` });
  }
  if ((a.description ?? null) !== (b.description ?? null)) {
    out.push({ kind: 'description_changed', column: col, before: a.description ?? null, after: b.description ?? null, message: `${col}: description changed` });
  }
}

export function diffContracts(before: Comparable, after: Comparable): ContractDiff {
  const changes: ContractChange[] = [];
  const beforeBy = new Map(before.columns.map((c, i) => [c.name, { c, i }] as const));
  const afterNames = new Set(after.columns.map((c) => c.name));
  for (const c of before.columns) {
    if (!afterNames.has(c.name)) {
      changes.push({ kind: 'column_removed', column: c.name, before: c, after: null, message: `${c.name} removed (${describeType(c.type)})` });
    }
  }
  const keptBefore = before.columns.filter((c) => afterNames.has(c.name)).map((c) => c.name);
  const keptAfter = after.columns.filter((c) => beforeBy.has(c.name)).map((c) => c.name);
  after.columns.forEach((c) => {
    const prev = beforeBy.get(c.name);
    if (!prev) {
      changes.push({ kind: 'column_added', column: c.name, before: null, after: c, message: `${c.name} added (${describeType(c.type)}, ${c.nullable ? 'nullable' : 'required'})` });
      return;
    }
    columnChanges(prev.c, c, changes);
    const from = keptBefore.indexOf(c.name);
    const to = keptAfter.indexOf(c.name);
    if (from !== to) changes.push({ kind: 'column_moved', column: c.name, before: from, after: to, message: `${c.name} moved from position ${from + 1} to ${to + 1}` });
  });
  if (before.mode !== after.mode) {
    changes.push({ kind: 'mode_changed', column: null, before: before.mode, after: after.mode, message: `mode ${before.mode} → ${after.mode}` });
  }
  for (const key of ['allow_quarantine', 'max_quarantine_pct', 'max_quarantine_count'] as const) {
    const a = before.quarantine[key];
    const b = after.quarantine[key];
    if (a !== b) changes.push({ kind: 'policy_changed', column: null, before: { [key]: a }, after: { [key]: b }, message: `${key} ${String(a)} → ${String(b)}` });
  }
  // Which policy values the contract leaves to the settings cascade (absent = states all).
  const inheritOf = (c: Comparable) => [...((c as Partial<ContractDocument>).quarantine_inherit ?? [])].sort().join(', ');
  if (inheritOf(before) !== inheritOf(after)) {
    changes.push({ kind: 'policy_changed', column: null, before: { quarantine_inherit: inheritOf(before) }, after: { quarantine_inherit: inheritOf(after) }, message: `inherited policy values [${inheritOf(before)}] → [${inheritOf(after)}]` });
  }
  if ((before.allow_nested_types === true) !== (after.allow_nested_types === true)) {
    changes.push({ kind: 'nested_types_changed', column: null, before: before.allow_nested_types === true, after: after.allow_nested_types === true, message: `allow_nested_types ${before.allow_nested_types === true} → ${after.allow_nested_types === true}` });
  }
  return { same: changes.length === 0, changes };
}
