import { describe, expect, it } from 'vitest';
import { buildRunManifest } from '../../lib/pipeline/run-manifest';

describe('buildRunManifest', () => {
  it('records input, parser, per-output contract hash, counts, warnings and result hashes', () => {
    const m = buildRunManifest({
      jobId: 'j1',
      status: 'PARTIAL_SUCCESS',
      input: { sha256: 'f'.repeat(64), sizeBytes: 1234, name: 'x.fix' },
      parser: { id: 'fix', version: '1.0.0', logicHash: 'l'.repeat(64) },
      outputs: {
        fix_session_events: { contractHash: null, status: 'no_contract', rows: 0, validRows: 0, quarantineRows: 0, resultHash: null },
        fix_order_events: {
          contractHash: 'c'.repeat(64), status: 'PARTIAL_SUCCESS', rows: 10, validRows: 9, quarantineRows: 1,
          violations: { type_mismatch: 1, null_not_allowed: 0 }, resultHash: 'r'.repeat(64), files: ['fix_order_events/valid.parquet'],
        },
      },
      warnings: ['w'],
    });
    expect(Object.keys(m.outputs)).toEqual(['fix_order_events', 'fix_session_events']);
    expect(m).toMatchObject({
      manifest_version: 1,
      job_id: 'j1',
      input: { sha256: 'f'.repeat(64), size_bytes: 1234, name: 'x.fix' },
      parser: { id: 'fix', version: '1.0.0', logic_hash: 'l'.repeat(64) },
      warnings: ['w'],
    });
    expect(m.outputs.fix_order_events).toMatchObject({ contract_hash: 'c'.repeat(64), rows: 10, valid_rows: 9, quarantine_rows: 1, violations: { type_mismatch: 1 }, result_hash: 'r'.repeat(64) });
    expect(m.outputs.fix_session_events.status).toBe('no_contract');
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});
