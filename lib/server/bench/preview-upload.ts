// Parser Bench preview: the first rows of every output of a parser on an uploaded file, the
// schema observed in them, its diff against the parser's intent and against the approved
// contract of the output's scope, and the parse errors met on the way.
import { dataDir as defaultDataDir, type Db } from '../../../db/open';
import { findApprovedContract } from '../../../db/jobs/contract-queries';
import { parseContractDocument, scopeId } from '../../contracts';
import { getParser } from '../../parsers/registry';
import type { ParseErrorRow, ParserRow } from '../../parsers/parser-types';
import { diffSchemas, inferObservedSchema, type ObservedSchema, type SchemaDiff } from '../../pipeline';
import { ApiError } from '../http/api-error';
import { findBenchUpload, uploadFilePath } from './bench-uploads';
import { sampleParse } from './sample-parse';

export const PREVIEW_MAX_ROWS = 1000;
export const PREVIEW_DEFAULT_ROWS = 50;
/** Bytes read for a preview at most (the file may be much larger). */
export const PREVIEW_MAX_BYTES = 8 * 1024 * 1024;

export interface OutputPreview {
  output: string;
  /** Column names in display order (intent columns first, then others seen, then positions). */
  columns: string[];
  rows: ParserRow[];
  observed: ObservedSchema;
  diff_intent: SchemaDiff;
  contract: { contract_id: string; version: number; content_hash: string } | null;
  diff_contract: SchemaDiff | null;
}

export interface BenchPreview {
  parser: { id: string; version: string };
  upload: { id: string; original_name: string; size_bytes: number };
  outputs: OutputPreview[];
  parse_errors: ParseErrorRow[];
  parse_error_count: number;
  bytes_read: number;
  truncated: boolean;
}

export function clampRows(raw: unknown, fallback: number, max: number): number {
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw !== '' ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) return fallback;
  return Math.min(n, max);
}

function columnsOf(intent: readonly string[], rows: readonly ParserRow[]): string[] {
  const out = [...intent];
  const seen = new Set(out);
  const tail: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), tail.push(k));
  return [...out, ...tail];
}

export async function previewUpload(db: Db, req: { parserId: string; uploadId: string; rows: number; dataDir?: string }): Promise<BenchPreview> {
  const parser = getParser(req.parserId);
  if (!parser) throw new ApiError('bench.unknown_parser', 404, `No parser ${req.parserId}.`);
  const upload = await findBenchUpload(db, parser.id, req.uploadId);
  if (!upload) throw new ApiError('bench.unknown_upload', 404, `No upload ${req.uploadId} of a kind parser ${parser.id} reads.`);
  const sample = await sampleParse(parser, uploadFilePath(req.dataDir ?? defaultDataDir(), upload.sha256), {
    maxRows: req.rows,
    maxBytes: PREVIEW_MAX_BYTES,
  });
  const outputs: OutputPreview[] = [];
  for (const intent of parser.outputs) {
    const rows = sample.rows[intent.name] ?? [];
    const observed = inferObservedSchema(rows);
    const approved = await findApprovedContract(db, scopeId(parser.id, parser.version, intent.name));
    const parsed = approved ? parseContractDocument(approved.document) : null;
    outputs.push({
      output: intent.name,
      columns: columnsOf(
        intent.columns.map((c) => c.name),
        rows,
      ),
      rows,
      observed,
      diff_intent: diffSchemas(observed, intent.columns),
      contract: approved ? { contract_id: approved.contract_id, version: approved.version, content_hash: approved.content_hash } : null,
      diff_contract: parsed && parsed.ok ? diffSchemas(observed, parsed.contract) : null,
    });
  }
  return {
    parser: { id: parser.id, version: parser.version },
    upload: { id: upload.id, original_name: upload.original_name, size_bytes: upload.size_bytes },
    outputs,
    parse_errors: sample.errors,
    parse_error_count: sample.error_count,
    bytes_read: sample.bytes_read,
    truncated: sample.truncated,
  };
}
