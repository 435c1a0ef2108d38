// Small pure pieces of the jobs area: the quarantine cursor, the retry backoff, the IPC
// message schemas, and the path guards that keep job ids and output names inside DATA_DIR.
import { describe, expect, it } from 'vitest';
import { assertOutputName, isJobId, stagingDirFor, warehouseDirFor } from '../../lib/server/jobs/job-paths';
import { decodeQuarantineCursor, encodeQuarantineCursor } from '../../lib/server/jobs/quarantine-cursor';
import { retryDelayMs } from '../../lib/server/jobs/release-attempt';
import { fromWorkerMessageSchema, toWorkerMessageSchema } from '../../worker/ipc-messages';

describe('quarantine cursor', () => {
  it('round-trips and is bound to its query', () => {
    const c = encodeQuarantineCursor({ afterRow: 41, output: 'fix_order_events', violationType: 'type_mismatch' });
    expect(c).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeQuarantineCursor(c, 'fix_order_events', 'type_mismatch')).toEqual({ afterRow: 41, output: 'fix_order_events', violationType: 'type_mismatch' });
    expect(decodeQuarantineCursor(c, 'fix_order_events', null)).toBeNull();
    expect(decodeQuarantineCursor(c, 'confirmations', 'type_mismatch')).toBeNull();
  });

  it('refuses forged and malformed tokens', () => {
    const forged = Buffer.from(JSON.stringify({ v: 1, r: -5, o: 'x', t: null })).toString('base64url');
    expect(decodeQuarantineCursor(forged, 'x', null)).toBeNull();
    expect(decodeQuarantineCursor('not base64!', 'x', null)).toBeNull();
    expect(decodeQuarantineCursor(Buffer.from('{').toString('base64url'), 'x', null)).toBeNull();
    expect(decodeQuarantineCursor('A'.repeat(600), 'x', null)).toBeNull();
  });
});

describe('retry backoff', () => {
  it('doubles per failed attempt and is capped at a minute', () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(2000, n))).toEqual([2000, 4000, 8000, 16000]);
    expect(retryDelayMs(2000, 30)).toBe(60_000);
  });
});

describe('IPC messages', () => {
  const spec = {
    jobId: '0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f',
    attempt: 1,
    filePath: '/data/uploads/x',
    fileSha256: 'a'.repeat(64),
    parserId: 'fix',
    parserVersion: '1.0.0',
    logicHash: 'b'.repeat(64),
    contracts: { fix_order_events: { contract_id: 'c', version: 1, content_hash: 'c'.repeat(64), document: {} } },
    stagingDir: '/data/staging/0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f',
    heartbeatMs: 1000,
  };

  it('accepts a job spec and refuses one with unknown or missing fields', () => {
    expect(toWorkerMessageSchema.safeParse({ type: 'run', spec }).success).toBe(true);
    expect(toWorkerMessageSchema.safeParse({ type: 'run', spec: { ...spec, extra: 1 } }).success).toBe(false);
    expect(toWorkerMessageSchema.safeParse({ type: 'run', spec: { ...spec, fileSha256: 'short' } }).success).toBe(false);
    expect(toWorkerMessageSchema.safeParse({ type: 'exec', cmd: 'rm -rf /' }).success).toBe(false);
  });

  it('accepts worker reports and refuses negative counts', () => {
    expect(fromWorkerMessageSchema.safeParse({ type: 'progress', progress: { bytes: 1, totalBytes: 2, rows: 3, rowsPerSec: 4.5 } }).success).toBe(true);
    expect(fromWorkerMessageSchema.safeParse({ type: 'progress', progress: { bytes: -1, totalBytes: 2, rows: 3, rowsPerSec: 4 } }).success).toBe(false);
    expect(fromWorkerMessageSchema.safeParse({ type: 'failed', code: 'job.worker_error', message: 'x', retryable: true }).success).toBe(true);
  });
});

describe('path guards', () => {
  it('keeps job ids and output names from leaving the data directory', () => {
    expect(isJobId('0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f')).toBe(true);
    expect(isJobId('../../etc')).toBe(false);
    expect(() => stagingDirFor('/data', '../x')).toThrow(/job.bad_id/);
    expect(() => warehouseDirFor('/data', '../jobs', '0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f')).toThrow(/job.bad_output_name/);
    expect(() => assertOutputName('Fix Order')).toThrow();
    expect(warehouseDirFor('/data', 'fix_order_events', '0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f')).toBe(
      '/data/warehouse/fix_order_events/job=0b7c8f3e-5a4d-4c1b-9e2f-1a2b3c4d5e6f',
    );
  });
});
