import { describe, expect, it } from 'vitest';
import { aggregateJobStatus, decideOutputStatus } from '../../lib/pipeline/output-status';

const policy = (allow: boolean, pct = 10, count: number | null = null) => ({ allow_quarantine: allow, max_quarantine_pct: pct, max_quarantine_count: count });

describe('decideOutputStatus: limits trip only when strictly exceeded', () => {
  it.each([
    [100, 0, policy(false), true, 'SUCCESS', null],
    [100, 1, policy(false), true, 'FAILED', 'quarantine_not_allowed'],
    [100, 10, policy(true, 10), true, 'PARTIAL_SUCCESS', 'rows_quarantined'], // exactly at the limit passes
    [100, 11, policy(true, 10), true, 'FAILED', 'quarantine_pct_exceeded'],
    [1000, 101, policy(true, 10), true, 'FAILED', 'quarantine_pct_exceeded'],
    [3, 1, policy(true, 33.34), true, 'PARTIAL_SUCCESS', 'rows_quarantined'],
    [3, 1, policy(true, 33.33), true, 'FAILED', 'quarantine_pct_exceeded'],
    [100, 5, policy(true, 10, 5), true, 'PARTIAL_SUCCESS', 'rows_quarantined'], // count exactly at the limit
    [100, 6, policy(true, 10, 5), true, 'FAILED', 'quarantine_count_exceeded'],
    [100, 1, policy(true, 10, 0), true, 'FAILED', 'quarantine_count_exceeded'],
    [100, 0, policy(true, 0), true, 'SUCCESS', null],
    [100, 1, policy(true, 0), true, 'FAILED', 'quarantine_pct_exceeded'],
    [100, 0, policy(true), false, 'FAILED', 'schema_mismatch'],
    [0, 0, policy(false), true, 'SUCCESS', null],
  ] as const)('rows %i quarantined %i policy %j shapeOk %s → %s', (rows, quarantineRows, p, shapeOk, status, reason) => {
    const d = decideOutputStatus({ rows, quarantineRows, policy: p, shapeOk });
    expect([d.status, d.reason]).toEqual([status, reason]);
  });
});

describe('aggregateJobStatus', () => {
  it.each([
    [[], 'SUCCESS'],
    [['SUCCESS', 'SUCCESS'], 'SUCCESS'],
    [['SUCCESS', 'PARTIAL_SUCCESS'], 'PARTIAL_SUCCESS'],
    [['COMPLETED_WITH_WARNINGS', 'SUCCESS'], 'PARTIAL_SUCCESS'], // read as an alias, never written
    [['PARTIAL_SUCCESS', 'FAILED', 'SUCCESS'], 'FAILED'],
    [['COMPLETED_WITH_WARNINGS', 'FAILED'], 'FAILED'],
  ] as const)('%j → %s', (statuses, expected) => {
    expect(aggregateJobStatus([...statuses])).toBe(expected);
  });
  it('never returns COMPLETED_WITH_WARNINGS and refuses unknown statuses', () => {
    expect(aggregateJobStatus(['COMPLETED_WITH_WARNINGS'])).toBe('PARTIAL_SUCCESS');
    expect(() => aggregateJobStatus(['DONE' as never])).toThrow();
  });
});
