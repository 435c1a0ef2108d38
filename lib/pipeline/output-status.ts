import type { QuarantinePolicy } from '../contracts/contract-document';

// Output and job status from counts and the quarantine policy (DESIGN.md "Validation and
// quarantine"). Limits trip only when STRICTLY exceeded: 10 % of 100 rows allows 10.

export type OutputStatus = 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED';
/** Older records may say COMPLETED_WITH_WARNINGS: read as PARTIAL_SUCCESS, never written. */
export type ReadableStatus = OutputStatus | 'COMPLETED_WITH_WARNINGS';

export type StatusReason =
  | 'schema_mismatch'
  | 'quarantine_not_allowed'
  | 'quarantine_count_exceeded'
  | 'quarantine_pct_exceeded'
  | 'rows_quarantined'
  | null;

export interface OutputDecision {
  status: OutputStatus;
  /** Stable code; null when SUCCESS. */
  reason: StatusReason;
  message: string;
}

export interface OutputCounts {
  /** Every row of the output that was validated: valid + quarantined. */
  rows: number;
  quarantineRows: number;
  policy: QuarantinePolicy;
  /** false when checkShape failed (or a reserved column was emitted). */
  shapeOk: boolean;
}

export function decideOutputStatus({ rows, quarantineRows, policy, shapeOk }: OutputCounts): OutputDecision {
  if (!shapeOk) return { status: 'FAILED', reason: 'schema_mismatch', message: 'the output does not match the contract shape' };
  if (quarantineRows === 0) return { status: 'SUCCESS', reason: null, message: 'no row quarantined' };
  if (!policy.allow_quarantine) {
    return { status: 'FAILED', reason: 'quarantine_not_allowed', message: `${quarantineRows} rows quarantined and the policy allows none` };
  }
  if (policy.max_quarantine_count !== null && quarantineRows > policy.max_quarantine_count) {
    return {
      status: 'FAILED',
      reason: 'quarantine_count_exceeded',
      message: `${quarantineRows} rows quarantined, more than the limit of ${policy.max_quarantine_count}`,
    };
  }
  // quarantine/rows > pct/100, compared without division so that "exactly at the limit" is exact.
  if (quarantineRows * 100 > policy.max_quarantine_pct * rows) {
    return {
      status: 'FAILED',
      reason: 'quarantine_pct_exceeded',
      message: `${quarantineRows} of ${rows} rows quarantined, more than ${policy.max_quarantine_pct} %`,
    };
  }
  return { status: 'PARTIAL_SUCCESS', reason: 'rows_quarantined', message: `${quarantineRows} of ${rows} rows quarantined, within policy` };
}

export function normalizeStatus(status: ReadableStatus): OutputStatus {
  if (status === 'COMPLETED_WITH_WARNINGS') return 'PARTIAL_SUCCESS';
  if (status === 'SUCCESS' || status === 'PARTIAL_SUCCESS' || status === 'FAILED') return status;
  throw new TypeError(`unknown output status ${JSON.stringify(status)}`);
}

/** Any FAILED → FAILED; else any PARTIAL_SUCCESS (or its alias) → PARTIAL_SUCCESS; else SUCCESS. */
export function aggregateJobStatus(statuses: readonly ReadableStatus[]): OutputStatus {
  let partial = false;
  for (const s of statuses) {
    const n = normalizeStatus(s);
    if (n === 'FAILED') return 'FAILED';
    if (n === 'PARTIAL_SUCCESS') partial = true;
  }
  return partial ? 'PARTIAL_SUCCESS' : 'SUCCESS';
}
