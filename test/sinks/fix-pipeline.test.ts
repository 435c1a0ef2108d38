// runPipeline on a real FIX log with the fix parser and its default contracts: the Parquet types
// follow fix-output-columns (prices DECIMAL(24,10), quantities DECIMAL(24,8), UTC timestamps as
// TIMESTAMPTZ with their microseconds), a bad price is quarantined, and an output without a
// contract is no_contract.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetColumns, readParquetRowsAsText } from '../../db/parquet';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import { fixParser, serializeFixMessage } from '../../lib/fix/index';
import { runPipeline } from '../../worker/run-pipeline';

let dir: string;
let file: string;
let secondMessageAt: number;
const HEAD = (seq: number) => [[49, 'BUY'], [56, 'SELL'], [34, String(seq)], [52, '20240315-13:30:00.123456']] as [number, string][];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fix-pipeline-test-'));
  const messages = [
    serializeFixMessage('FIX.4.4', [[35, 'D'], ...HEAD(2), [11, 'ORD1'], [55, 'MSFT'], [54, '1'], [38, '1000'], [40, '2'], [44, '411.2500000001'], [60, '20240315-13:30:00.123456']]),
    serializeFixMessage('FIX.4.4', [
      [35, '8'], ...HEAD(3), [37, 'X1'], [11, 'ORD1'], [17, 'EX1'], [150, 'F'], [39, '2'], [55, 'MSFT'], [54, '1'], [38, '1000'],
      [32, '1000'], [31, '12345678901234.1234567890'], [14, '1000'], [151, '0'], [6, '411.25'], [75, '20240315'], [60, '20240315-13:30:01.000001'],
    ]),
    // A price with two points: the message is well formed, the value is not a decimal.
    serializeFixMessage('FIX.4.4', [[35, 'D'], ...HEAD(4), [11, 'ORD2'], [55, 'IBM'], [54, '2'], [38, '5'], [40, '2'], [44, '1.2.3'], [60, '20240315-13:30:02']]),
    serializeFixMessage('FIX.4.4', [[35, '0'], ...HEAD(5)]),
  ];
  secondMessageAt = Buffer.byteLength(messages[0], 'latin1') + 1;
  file = path.join(dir, 'orders.fix');
  await writeFile(file, messages.join('\n') + '\n', 'latin1');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('runPipeline on FIX', () => {
  it('writes order events typed as the contract declares and quarantines the bad price', async () => {
    const contract = defaultContractFor(fixParser, 'fix_order_events');
    contract.quarantine = { allow_quarantine: true, max_quarantine_pct: 50, max_quarantine_count: null };
    const stagingDir = path.join(dir, 'staging');
    const result = await runPipeline({ filePath: file, parserId: 'fix', contracts: { fix_order_events: contract }, jobId: 'job-fix', stagingDir });
    expect(result.status).toBe('PARTIAL_SUCCESS');
    expect(result.outputs.fix_order_events).toMatchObject({ status: 'PARTIAL_SUCCESS', rows: 2, quarantine_rows: 1 });
    expect(result.outputs.fix_order_events.violations).toEqual({ type_mismatch: 1 });
    expect(result.outputs.fix_session_events).toMatchObject({ status: 'no_contract', parsed_rows: 1, files: [] });

    const valid = path.join(stagingDir, 'fix_order_events/valid.parquet');
    const types = Object.fromEntries((await readParquetColumns(valid)).map((c) => [c.name, c.duckdbType]));
    expect(types).toMatchObject({
      price: 'DECIMAL(24,10)', last_px: 'DECIMAL(24,10)', order_qty: 'DECIMAL(24,8)', cum_qty: 'DECIMAL(24,8)',
      transact_time: 'TIMESTAMP WITH TIME ZONE', sending_time: 'TIMESTAMP WITH TIME ZONE', trade_date: 'DATE',
      msg_seq_num: 'BIGINT', checksum_ok: 'BOOLEAN', lifecycle_event: 'VARCHAR', message_index: 'BIGINT',
    });
    const rows = await readParquetRowsAsText(valid);
    expect(rows.map((r) => [r.msg_type, r.price, r.last_px, r.transact_time, r.trade_date, r.checksum_ok])).toEqual([
      ['D', '411.2500000001', null, '2024-03-15 13:30:00.123456+00', null, 'true'],
      ['8', null, '12345678901234.1234567890', '2024-03-15 13:30:01.000001+00', '2024-03-15', 'true'],
    ]);
    expect(rows.map((r) => r.message_index)).toEqual(['0', '1']);

    const quarantine = await readParquetRowsAsText(path.join(stagingDir, 'fix_order_events/quarantine.parquet'));
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]).toMatchObject({ cl_ord_id: 'ORD2', price: '1.2.3', _violation_type: 'type_mismatch', _source_row: '2' });
  });

  it('runs a byte range with absolute offsets and the given message index', async () => {
    const contract = defaultContractFor(fixParser, 'fix_order_events');
    contract.quarantine = { allow_quarantine: true, max_quarantine_pct: 50, max_quarantine_count: null };
    const whole = await runPipeline({ filePath: file, parserId: 'fix', contracts: { fix_order_events: contract }, jobId: 'job-whole', stagingDir: path.join(dir, 'whole') });
    const stagingDir = path.join(dir, 'range');
    const result = await runPipeline({
      filePath: file, parserId: 'fix', contracts: { fix_order_events: contract }, jobId: 'job-range', stagingDir,
      range: { start: secondMessageAt, end: Number.MAX_SAFE_INTEGER, baseLine: 2, baseMessageIndex: 1 },
      sourceHash: whole.source_hash,
    });
    expect(result.outputs.fix_order_events).toMatchObject({ rows: 1, quarantine_rows: 1 });
    const [row] = await readParquetRowsAsText(path.join(stagingDir, 'fix_order_events/valid.parquet'));
    const [first, second] = await readParquetRowsAsText(path.join(dir, 'whole/fix_order_events/valid.parquet'));
    expect(first.message_index).toBe('0');
    for (const col of ['message_index', 'line_number', '_cf_source_offset', '_cf_source_length', '_cf_source_hash', 'last_px']) {
      expect(row[col], col).toBe(second[col]);
    }
    expect(result.manifest.range).toEqual({ start: secondMessageAt, end: Number.MAX_SAFE_INTEGER });
  });
});
