// What app/ (the /bench page and /api/bench routes) calls: the bench services on the process's
// database and data directory. app/ never imports db/ itself.
import { dataDir, getDb } from '../../../db/open';
import { listParsers } from '../../parsers/registry';
import { ApiError } from '../http/api-error';
import { findBenchUpload, listBenchUploads, listParserContractVersions, uploadFilePath, type BenchContractVersion, type BenchUpload } from './bench-uploads';
import { startBacktest, type BacktestState } from './backtest-runs';
import { previewUpload, type BenchPreview } from './preview-upload';
import { loadContractUnderTest, testFileAgainstContract, type FileTestResult } from './test-file-against-contract';

export { getBacktest, listBacktests, stopBacktest, type BacktestState } from './backtest-runs';
export { clampRows, PREVIEW_DEFAULT_ROWS, PREVIEW_MAX_ROWS } from './preview-upload';
export { TEST_DEFAULT_ROWS, TEST_MAX_ROWS } from './test-file-against-contract';
export type { BenchPreview, BenchUpload, BenchContractVersion, FileTestResult };

export interface BenchParser {
  id: string;
  version: string;
  outputs: string[];
}

export function benchParsers(): BenchParser[] {
  return listParsers().map((p) => ({ id: p.id, version: p.version, outputs: p.outputs.map((o) => o.name) }));
}

export async function benchUploadsFor(parserId: string): Promise<{ uploads: BenchUpload[]; contracts: BenchContractVersion[] }> {
  const db = await getDb();
  return { uploads: await listBenchUploads(db, parserId), contracts: await listParserContractVersions(db, parserId) };
}

export async function benchPreview(parserId: string, uploadId: string, rows: number): Promise<BenchPreview> {
  return previewUpload(await getDb(), { parserId, uploadId, rows });
}

export async function benchTestFile(req: { uploadId: string; contractId: string; version: number; maxRows: number }): Promise<FileTestResult> {
  const db = await getDb();
  const target = await loadContractUnderTest(db, req.contractId, req.version);
  const upload = await findBenchUpload(db, target.parser.id, req.uploadId);
  if (!upload) throw new ApiError('bench.unknown_upload', 404, `No upload ${req.uploadId} of a kind parser ${target.parser.id} reads.`);
  return testFileAgainstContract(target, uploadFilePath(dataDir(), upload.sha256), upload, { maxRows: req.maxRows });
}

export async function benchStartBacktest(req: { contractId: string; version: number; maxRows: number; actor: string }): Promise<BacktestState> {
  return startBacktest(await getDb(), req);
}
