// The uploads a parser can be benched on, with the status of the latest job of that parser on
// each (what "previously failed / never run / passed" means for the backtest order), and the
// contract versions of the parser's outputs (any status: drafts are what the bench is for).
import path from 'node:path';
import type { Db } from '../../../db/open';
import { parserIdsForKind, type UploadKind } from '../jobs/parsers-for-upload';

export interface BenchUpload {
  id: string;
  sha256: string;
  kind: UploadKind;
  original_name: string;
  size_bytes: number;
  uploaded_at: string;
  /** Status of the latest job of the parser on this file's bytes, or null when none ran. */
  last_job_status: string | null;
  last_job_id: string | null;
  /** failed (latest job FAILED), never_run (no finished job), passed (SUCCESS / PARTIAL_SUCCESS) */
  history: 'failed' | 'never_run' | 'passed';
}

export interface BenchContractVersion {
  contract_id: string;
  version: number;
  output: string;
  parser_version: string;
  status: string;
  content_hash: string;
  author: string;
}

const KINDS: readonly UploadKind[] = ['fix', 'confirmations'];

export function kindsForParser(parserId: string): UploadKind[] {
  return KINDS.filter((k) => parserIdsForKind(k).includes(parserId));
}

/** Where the upload's bytes are stored (content-addressed, decompressed). */
export function uploadFilePath(dataDir: string, sha256: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`bench.bad_sha256: ${sha256}`);
  return path.join(dataDir, 'uploads', sha256);
}

function historyOf(status: string | null): BenchUpload['history'] {
  if (status === 'FAILED') return 'failed';
  if (status === 'SUCCESS' || status === 'PARTIAL_SUCCESS' || status === 'COMPLETED_WITH_WARNINGS') return 'passed';
  return 'never_run';
}

/** Uploads of the parser's kinds, newest first; duplicates (same bytes) are left out. */
export async function listBenchUploads(db: Db, parserId: string): Promise<BenchUpload[]> {
  const kinds = kindsForParser(parserId);
  if (kinds.length === 0) return [];
  const rows = await db.all(
    `SELECT u.id, u.sha256, u.kind, u.original_name, u.size_bytes, CAST(u.uploaded_at AS VARCHAR) AS uploaded_at,
            j.status AS job_status, j.id AS job_id
     FROM uploads u
     LEFT JOIN (
       SELECT id, status, source_sha256, row_number() OVER (PARTITION BY source_sha256 ORDER BY created_at DESC, id DESC) AS rn
       FROM jobs WHERE parser_id = ?
     ) j ON j.source_sha256 = u.sha256 AND j.rn = 1
     WHERE u.duplicate_of IS NULL AND u.kind IN (${kinds.map(() => '?').join(', ')})
     ORDER BY u.uploaded_at DESC, u.id`,
    [parserId, ...kinds],
  );
  return rows.map((r) => {
    const status = r.job_status == null ? null : String(r.job_status);
    return {
      id: String(r.id),
      sha256: String(r.sha256),
      kind: String(r.kind) as UploadKind,
      original_name: String(r.original_name),
      size_bytes: Number(r.size_bytes),
      uploaded_at: String(r.uploaded_at),
      last_job_status: status,
      last_job_id: r.job_id == null ? null : String(r.job_id),
      history: historyOf(status),
    };
  });
}

export async function findBenchUpload(db: Db, parserId: string, uploadId: string): Promise<BenchUpload | null> {
  return (await listBenchUploads(db, parserId)).find((u) => u.id === uploadId) ?? null;
}

export async function listParserContractVersions(db: Db, parserId: string): Promise<BenchContractVersion[]> {
  const rows = await db.all(
    `SELECT contract_id, version, output, parser_version, status, content_hash, author FROM contract_versions
     WHERE parser_id = ? ORDER BY output, version DESC`,
    [parserId],
  );
  return rows.map((r) => ({
    contract_id: String(r.contract_id),
    version: Number(r.version),
    output: String(r.output),
    parser_version: String(r.parser_version),
    status: String(r.status),
    content_hash: String(r.content_hash),
    author: String(r.author),
  }));
}

export async function loadContractVersionDocument(db: Db, contractId: string, version: number): Promise<{ parser_id: string; output: string; status: string; document: unknown } | null> {
  const rows = await db.all(`SELECT parser_id, output, status, document FROM contract_versions WHERE contract_id = ? AND version = ?`, [contractId, version]);
  if (rows.length === 0) return null;
  return { parser_id: String(rows[0].parser_id), output: String(rows[0].output), status: String(rows[0].status), document: JSON.parse(String(rows[0].document)) };
}
