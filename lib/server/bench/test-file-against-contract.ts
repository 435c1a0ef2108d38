// A quick test of one uploaded file against one contract version (a draft or any other): the
// parser runs over a capped sample of the file, the rows of the contract's output go through
// the pipeline's validator and splitter, and the numbers come back — nothing is stored.
import type { Db } from '../../../db/open';
import { parseContractDocument, type ContractDocument } from '../../contracts';
import { getParser } from '../../parsers/registry';
import { POSITION_COLUMNS, type ParserDefinition } from '../../parsers/parser-types';
import { compileValidator, createOutputSplitter, decideOutputStatus, type OutputStatus, type StatusReason } from '../../pipeline';
import { ApiError } from '../http/api-error';
import { loadContractVersionDocument, type BenchUpload } from './bench-uploads';
import { sampleParse } from './sample-parse';

export const TEST_DEFAULT_ROWS = 10_000;
export const TEST_MAX_ROWS = 200_000;
export const TEST_MAX_BYTES = 64 * 1024 * 1024;

export interface ViolationCount {
  column: string;
  violation_type: string;
  count: number;
}

export interface FileTestResult {
  rows: number;
  valid_rows: number;
  quarantine_rows: number;
  /** quarantine_rows / rows in percent, two decimals, as text (e.g. "12.50"); "0.00" without rows */
  quarantine_pct: string;
  status: OutputStatus;
  reason: StatusReason;
  message: string;
  shape: { ok: boolean; missing: string[]; extra: string[] };
  violations: Record<string, number>;
  /** (column, violation type) pairs by count, most first, at most 5 */
  top_violations: ViolationCount[];
  parse_error_count: number;
  bytes_read: number;
  /** true when only the start of the file was tested (row or byte cap) */
  sampled: boolean;
  stopped: boolean;
}

export interface ContractUnderTest {
  contract_id: string;
  version: number;
  parser: ParserDefinition;
  output: string;
  contract: ContractDocument;
}

export async function loadContractUnderTest(db: Db, contractId: string, version: number): Promise<ContractUnderTest> {
  const found = await loadContractVersionDocument(db, contractId, version);
  if (!found) throw new ApiError('bench.unknown_contract', 404, `No contract ${contractId} version ${version}.`);
  const parsed = parseContractDocument(found.document);
  if (!parsed.ok) throw new ApiError('bench.invalid_contract', 422, `The contract version is not valid: ${parsed.problems.map((p) => p.message).join('; ')}`);
  const parser = getParser(parsed.contract.parser_id);
  if (!parser) throw new ApiError('bench.unknown_parser', 404, `No parser ${parsed.contract.parser_id}.`);
  return { contract_id: contractId, version, parser, output: parsed.contract.output, contract: parsed.contract };
}

/** "12.50" from 1 of 8: exact integer arithmetic, rounded half up. */
export function percentText(part: number, whole: number): string {
  if (whole <= 0) return '0.00';
  const hundredths = Math.floor((part * 10000 * 2 + whole) / (2 * whole));
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`;
}

export async function testFileAgainstContract(
  target: ContractUnderTest,
  filePath: string,
  upload: Pick<BenchUpload, 'sha256'>,
  opts: { maxRows: number; maxBytes?: number; shouldStop?: () => boolean },
): Promise<FileTestResult> {
  const sample = await sampleParse(target.parser, filePath, {
    maxRows: opts.maxRows,
    maxBytes: opts.maxBytes ?? TEST_MAX_BYTES,
    shouldStop: opts.shouldStop,
    outputs: [target.output],
  });
  const rows = sample.rows[target.output] ?? [];
  const validator = compileValidator(target.contract);
  const seenColumns: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (!seen.has(k)) (seen.add(k), seenColumns.push(k));
  // An output without rows in the sample is checked by the parser's declared columns.
  const intent = target.parser.outputs.find((o) => o.name === target.output);
  const position: ReadonlySet<string> = new Set(POSITION_COLUMNS);
  const shapeColumns = rows.length > 0 ? seenColumns.filter((c) => !position.has(c)) : (intent?.columns.map((c) => c.name) ?? []);
  const shapeResult = validator.checkShape(shapeColumns);
  const splitter = createOutputSplitter({
    contract: target.contract,
    validator,
    lineage: { sourceHash: upload.sha256, jobId: 'bench', processedAt: new Date(), parserVersion: target.parser.version, contractHash: 'bench' },
  });
  const pairs = new Map<string, ViolationCount>();
  for (let i = 0; i < rows.length; i += 4096) {
    const { quarantine } = splitter.push(rows.slice(i, i + 4096));
    for (const q of quarantine) {
      let list: { column?: string; violation_type?: string }[] = [];
      try {
        list = JSON.parse(String(q._violations ?? '[]'));
      } catch {
        list = [];
      }
      for (const v of list) {
        const key = `${v.column ?? ''}\u0000${v.violation_type ?? ''}`;
        const c = pairs.get(key) ?? { column: v.column ?? '', violation_type: v.violation_type ?? '', count: 0 };
        c.count++;
        pairs.set(key, c);
      }
    }
  }
  const stats = splitter.stats();
  const shapeOk = shapeResult.ok && stats.reserved_columns.length === 0;
  const decision = decideOutputStatus({ rows: stats.rows, quarantineRows: stats.quarantine_rows, policy: target.contract.quarantine, shapeOk });
  return {
    rows: stats.rows,
    valid_rows: stats.valid_rows,
    quarantine_rows: stats.quarantine_rows,
    quarantine_pct: percentText(stats.quarantine_rows, stats.rows),
    status: decision.status,
    reason: decision.reason,
    message: decision.message,
    shape: { ok: shapeOk, missing: shapeResult.diagnostics.missing, extra: shapeResult.diagnostics.extra },
    violations: Object.fromEntries(Object.entries(stats.violations).filter(([, n]) => n > 0)),
    top_violations: [...pairs.values()].sort((a, b) => b.count - a.count || a.column.localeCompare(b.column) || a.violation_type.localeCompare(b.violation_type)).slice(0, 5),
    parse_error_count: sample.error_count,
    bytes_read: sample.bytes_read,
    sampled: sample.truncated,
    stopped: sample.stopped,
  };
}
