import path from 'node:path';
import { expect } from 'vitest';
import { insertValidRows } from '../../db/jobs/load-parquet';
import type { OpenDb } from '../../db/open';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import { getParser } from '../../lib/parsers/registry';
import { runPipeline } from '../../worker/run-pipeline';

/**
 * Runs a file through the real pipeline with the parser's default contracts (staging under
 * `<dir>/staging/<jobId>`) and inserts its valid rows, as promotion would: generated datasets
 * for detection tests, without a server.
 */
export async function stageAndLoad(db: OpenDb, dir: string, file: string, parserId: string, jobId: string): Promise<void> {
  const parser = getParser(parserId)!;
  const contracts = Object.fromEntries(parser.outputs.map((o) => [o.name, defaultContractFor(parser, o.name)]));
  const stagingDir = path.join(dir, 'staging', jobId);
  const result = await runPipeline({ filePath: file, parserId, parser, contracts, jobId, stagingDir });
  expect(result.status).not.toBe('FAILED');
  for (const [name, o] of Object.entries(result.outputs)) {
    for (const f of o.files.filter((x) => x.endsWith('valid.parquet'))) await insertValidRows(db, name, path.join(stagingDir, f));
  }
}
