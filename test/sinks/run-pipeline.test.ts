// runPipeline end to end on real files: the registry's confirmations parser, H3's validator and
// splitter, Parquet through DuckDB, manifest.json. Temp dirs only.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquetColumns, readParquetKvMetadata, readParquetRowsAsText } from '../../db/parquet';
import { parseContractDocument, type ContractDocument } from '../../lib/contracts/contract-document';
import { contentHash } from '../../lib/contracts/contract-hash';
import type { ParserDefinition } from '../../lib/parsers/parser-types';
import { runPipeline } from '../../worker/run-pipeline';
import { confirmationsContract, CONFIRMATIONS_CSV, writeFixture } from './fixtures';

let dir: string;
let csv: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'run-pipeline-test-'));
  csv = await writeFixture(dir, 'conf.csv', CONFIRMATIONS_CSV);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function contract(overrides: Record<string, unknown> = {}): ContractDocument {
  const parsed = parseContractDocument(confirmationsContract(overrides));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.contract;
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
  }
  return out.sort();
}

describe('runPipeline', () => {
  it('validates, splits and stages typed Parquet with lineage, metadata and a manifest', async () => {
    const stagingDir = path.join(dir, 'ok');
    const c = contract();
    const progress: number[] = [];
    const result = await runPipeline({
      filePath: csv, parserId: 'confirmations_csv', contracts: { confirmations: c }, jobId: 'job-ok', stagingDir,
      onProgress: (p) => progress.push(p.bytes),
    });
    expect(result.status).toBe('PARTIAL_SUCCESS');
    const out = result.outputs.confirmations;
    expect(out).toMatchObject({ status: 'PARTIAL_SUCCESS', rows: 3, quarantine_rows: 2, parsed_rows: 5, reason: 'rows_quarantined' });
    expect(out.violations).toEqual({
      type_mismatch: 1, precision_exceeded: 1, enum_invalid: 1, format_invalid: 1, timezone_required: 1, null_not_allowed: 1,
    });
    expect(out.files).toEqual(['confirmations/valid.parquet', 'confirmations/quarantine.parquet']);
    expect(await listFiles(stagingDir)).toEqual(['confirmations/quarantine.parquet', 'confirmations/valid.parquet', 'manifest.json']);
    expect(progress.at(-1)).toBe(Buffer.byteLength(CONFIRMATIONS_CSV));

    const valid = path.join(stagingDir, 'confirmations/valid.parquet');
    const types = Object.fromEntries((await readParquetColumns(valid)).map((col) => [col.name, col.duckdbType]));
    expect(types).toMatchObject({
      exec_id: 'VARCHAR', quantity: 'BIGINT', price: 'DECIMAL(20,6)', side: 'VARCHAR', trade_date: 'DATE',
      transact_time: 'TIMESTAMP WITH TIME ZONE', line_number: 'BIGINT', message_index: 'BIGINT', _cf_source_hash: 'VARCHAR',
      _cf_processed_at: 'TIMESTAMP WITH TIME ZONE', _cf_source_offset: 'BIGINT', _cf_source_length: 'BIGINT',
    });
    const rows = await readParquetRowsAsText(valid);
    expect(rows.map((r) => [r.exec_id, r.quantity, r.price, r.transact_time])).toEqual([
      ['E1', '100', '12345678901234.123456', '2024-01-02 03:04:05.123456+00'],
      ['E2', '200', '10.500000', '2024-01-02 01:04:05+00'],
      ['E5', '-5', '-0.500000', '2024-03-10 07:30:00+00'],
    ]);
    expect(rows[0]).toMatchObject({ _cf_source_hash: result.source_hash, _cf_job_id: 'job-ok', _cf_parser_version: '1.0.0', _cf_contract_hash: contentHash(c) });
    // The source span points at the row's bytes in the file.
    const bytes = Buffer.from(CONFIRMATIONS_CSV);
    const span = bytes.subarray(Number(rows[1]._cf_source_offset), Number(rows[1]._cf_source_offset) + Number(rows[1]._cf_source_length)).toString();
    expect(span.startsWith('E2,C2,MSFT')).toBe(true);
    expect(await readParquetKvMetadata(valid)).toMatchObject({ job_id: 'job-ok', contract_hash: contentHash(c), source_hash: result.source_hash });

    const quarantine = await readParquetRowsAsText(path.join(stagingDir, 'confirmations/quarantine.parquet'));
    expect(quarantine.map((r) => [r.exec_id, r.quantity, r._source_row, r._violation_type])).toEqual([
      ['E3', '1e3', '3', 'type_mismatch'],
      ['E4', '', '4', 'null_not_allowed'],
    ]);
    expect(JSON.parse(quarantine[0]._violations!)).toHaveLength(5);

    const manifest = JSON.parse(await readFile(path.join(stagingDir, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({
      job_id: 'job-ok', status: 'PARTIAL_SUCCESS', input: { sha256: result.source_hash, size_bytes: bytes.length },
      parser: { id: 'confirmations_csv', version: '1.0.0' },
      outputs: { confirmations: { valid_rows: 3, quarantine_rows: 2, result_hash: out.result_hash, contract_hash: contentHash(c) } },
    });
  });

  it('writes no Parquet on a FAILED job (manifest only)', async () => {
    const stagingDir = path.join(dir, 'failed');
    const result = await runPipeline({
      filePath: csv, parserId: 'confirmations_csv', jobId: 'job-failed', stagingDir,
      contracts: { confirmations: contract({ quarantine: { allow_quarantine: false, max_quarantine_pct: 10, max_quarantine_count: null } }) },
    });
    expect(result.status).toBe('FAILED');
    expect(result.outputs.confirmations).toMatchObject({ status: 'FAILED', reason: 'quarantine_not_allowed', rows: 3, quarantine_rows: 2, files: [] });
    expect(await listFiles(stagingDir)).toEqual(['manifest.json']);
  });

  it('fails the output on a shape error (strict mode, missing column) and writes nothing', async () => {
    const stagingDir = path.join(dir, 'shape');
    const c = contract({ mode: 'strict', columns: [{ name: 'exec_id', type: 'string', nullable: false }, { name: 'venue', type: 'string', nullable: false }] });
    const result = await runPipeline({ filePath: csv, parserId: 'confirmations_csv', contracts: { confirmations: c }, jobId: 'job-shape', stagingDir });
    expect(result.status).toBe('FAILED');
    expect(result.outputs.confirmations.reason).toBe('schema_mismatch');
    expect(result.outputs.confirmations.shape?.ok).toBe(false);
    expect(await listFiles(stagingDir)).toEqual(['manifest.json']);
  });

  it('is deterministic: two runs give the same result_hash and the same rows', async () => {
    const c = contract();
    const a = await runPipeline({ filePath: csv, parserId: 'confirmations_csv', contracts: { confirmations: c }, jobId: 'job-a', stagingDir: path.join(dir, 'a') });
    const b = await runPipeline({ filePath: csv, parserId: 'confirmations_csv', contracts: { confirmations: c }, jobId: 'job-b', stagingDir: path.join(dir, 'b') });
    expect(a.outputs.confirmations.result_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(b.outputs.confirmations.result_hash).toBe(a.outputs.confirmations.result_hash);
    const strip = (rows: Record<string, string | null>[]) => rows.map(({ _cf_job_id, _cf_processed_at, ...rest }) => rest);
    expect(strip(await readParquetRowsAsText(path.join(dir, 'b/confirmations/valid.parquet')))).toEqual(
      strip(await readParquetRowsAsText(path.join(dir, 'a/confirmations/valid.parquet'))),
    );
  });

  it('reports an output without a contract as no_contract and writes nothing for it', async () => {
    const stagingDir = path.join(dir, 'nocontract');
    const result = await runPipeline({ filePath: csv, parserId: 'confirmations_csv', contracts: {}, jobId: 'job-nc', stagingDir });
    expect(result.status).toBe('SUCCESS');
    expect(result.outputs.confirmations).toMatchObject({ status: 'no_contract', rows: 0, parsed_rows: 5, files: [], result_hash: null });
    expect(await listFiles(stagingDir)).toEqual(['manifest.json']);
  });

  it('fails the job when a parser emits a _cf_ column', async () => {
    // A fixture parser standing in for a buggy third-party parser: the rule under test is the runner's.
    const rogue: ParserDefinition = {
      id: 'confirmations_csv', version: '1.0.0', errorOutput: 'rogue_errors', logicHash: () => 'x', sniff: () => 0,
      outputs: [{ name: 'confirmations', description: '', columns: [] }],
      async *parse(input) {
        for await (const _ of input) void _;
        yield { output: 'confirmations', rows: [{ exec_id: 'E1', _cf_job_id: 'forged', __cf_row_id: 1, line_number: 1, message_index: 0, source_offset: 0, source_length: 1 }] };
        return { format: 'csv', delimiter: ',', messages: 1, bytesRead: 1, rowsPerOutput: { confirmations: 1 }, parseErrors: {}, details: {} };
      },
    };
    const stagingDir = path.join(dir, 'rogue');
    const result = await runPipeline({
      filePath: csv, parserId: 'confirmations_csv', parser: rogue, jobId: 'job-rogue', stagingDir,
      contracts: { confirmations: contract({ columns: [{ name: 'exec_id', type: 'string', nullable: false }] }) },
    });
    expect(result.status).toBe('FAILED');
    expect(result.problems.map((p) => p.code)).toContain('pipeline.reserved_column');
    expect(await listFiles(stagingDir)).toEqual(['manifest.json']);
  });

  it('stages parse errors as errors.parquet, and none on a FAILED job', async () => {
    const bad = await writeFixture(dir, 'bad.csv', 'exec_id,symbol\nE1,A\nE2,B,extra,cells\nE3,"unterminated\n');
    const stagingDir = path.join(dir, 'errors');
    const result = await runPipeline({ filePath: bad, parserId: 'confirmations_csv', contracts: {}, jobId: 'job-err', stagingDir });
    expect(result.manifest.parse_errors).toEqual({ 'csv.wrong_cell_count': 1, 'csv.bad_quoting': 1 });
    expect(result.manifest.error_files).toEqual(['confirmations_parse_errors/errors.parquet']);
    const rows = await readParquetRowsAsText(path.join(stagingDir, 'confirmations_parse_errors/errors.parquet'));
    expect(rows.map((r) => [r.job_id, r.output, r.code, r.line_number])).toEqual([
      ['job-err', 'confirmations_parse_errors', 'csv.wrong_cell_count', '3'],
      ['job-err', 'confirmations_parse_errors', 'csv.bad_quoting', '4'],
    ]);
    expect(rows[0].raw).toContain('E2,B,extra,cells');

    const failedDir = path.join(dir, 'errors-failed');
    const strict = contract({ mode: 'strict', columns: [{ name: 'exec_id', type: 'int64', nullable: false }], quarantine: { allow_quarantine: false, max_quarantine_pct: 0, max_quarantine_count: null } });
    const failed = await runPipeline({ filePath: bad, parserId: 'confirmations_csv', contracts: { confirmations: strict }, jobId: 'job-err2', stagingDir: failedDir });
    expect(failed.status).toBe('FAILED');
    expect(failed.manifest.error_files).toEqual([]);
    expect(await listFiles(failedDir)).toEqual(['manifest.json']);
  });
});
