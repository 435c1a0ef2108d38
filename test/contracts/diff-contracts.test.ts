import { describe, expect, it } from 'vitest';
import type { ContractDocument } from '../../lib/contracts/contract-document';
import { diffContracts } from '../../lib/contracts/diff-contracts';

const v1: ContractDocument = {
  parser_id: 'p', parser_version: '1.0.0', output: 'o', mode: 'strict',
  columns: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'px', type: { kind: 'decimal', precision: 18, scale: 6 }, nullable: false },
    { name: 'ts', type: { kind: 'timestamp_tz', tz: 'UTC' }, nullable: true, format: 'iso8601' },
    { name: 'old', type: 'int64', nullable: true },
  ],
  quarantine: { allow_quarantine: false, max_quarantine_pct: 10, max_quarantine_count: null },
};

describe('diffContracts', () => {
  it('an identical copy is the same', () => {
    expect(diffContracts(v1, structuredClone(v1))).toEqual({ same: true, changes: [] });
  });

  it('lists every kind of change with before and after', () => {
    const v2: ContractDocument = {
      ...v1,
      mode: 'allow_extra',
      columns: [
        { name: 'px', type: { kind: 'decimal', precision: 18, scale: 8 }, nullable: false },
        { name: 'id', type: 'string', nullable: true },
        { name: 'ts', type: { kind: 'timestamp_tz', tz: 'Europe/London' }, nullable: true, format: 'yyyy-MM-dd HH:mm' },
        { name: 'new', type: 'boolean', nullable: true },
      ],
      quarantine: { allow_quarantine: true, max_quarantine_pct: 5, max_quarantine_count: null },
    };
    const d = diffContracts(v1, v2);
    expect(d.same).toBe(false);
    expect(d.changes.map((c) => [c.kind, c.column])).toEqual([
      ['column_removed', 'old'],
      ['type_changed', 'px'],
      ['column_moved', 'px'],
      ['nullability_changed', 'id'],
      ['column_moved', 'id'],
      ['type_changed', 'ts'],
      ['format_changed', 'ts'],
      ['column_added', 'new'],
      ['mode_changed', null],
      ['policy_changed', null],
      ['policy_changed', null],
    ]);
    expect(d.changes.find((c) => c.kind === 'type_changed' && c.column === 'px')!.message).toBe('px: decimal(18,6) → decimal(18,8)');
    expect(d.changes.find((c) => c.kind === 'type_changed' && c.column === 'ts')!.message).toBe('ts: timestamp_tz(UTC) → timestamp_tz(Europe/London)');
  });
});
