// `workbench preview <file> [--parser fix|confirmations_csv] [--head N] [--json]`: parses a file
// locally (no server, no database) and shows what a job would see: the detected format and
// delimiter, message count by MsgType, rows per output, integrity counts, parse errors by code,
// the observed schema of each output (from a sample of its first rows) and the first N rows.
// The parser is detected from the file's first bytes unless --parser names one.
// Exit codes: 0 the file was read (parse errors and integrity flags included); 1 the file cannot
// be read (missing, a directory, no permission, corrupt gzip) or its format cannot be detected;
// 2 bad usage. Failures print one line on stderr.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ColumnType } from '../../lib/contracts/column-type';
import type { ParserDefinition, ParserRow, ParseSummary } from '../../lib/parsers/parser-types';
import { readFileChunks } from '../../lib/parsers/read-file-stream';
import { detectParser, getParser, listParsers } from '../../lib/parsers/registry';
import { inferObservedSchema, type ObservedSchema } from '../../lib/pipeline/observed-schema';

export const summary = 'parse a file locally: format, counts, parse errors, observed schema, first rows';

const USAGE = 'usage: workbench preview <file> [--parser fix|confirmations_csv] [--head N] [--json]';
const DEFAULT_HEAD = 5;
/** Rows per output the observed schema is inferred from. */
const SCHEMA_SAMPLE_ROWS = 1000;
const HEAD_BYTES = 64 * 1024;

export interface PreviewArgs {
  file: string;
  parser: string | null;
  head: number;
  json: boolean;
}

class UsageError extends Error {}
/** The file cannot be read or understood: one line on stderr, exit 1. */
class InputError extends Error {}

export function parsePreviewArgs(args: readonly string[]): PreviewArgs {
  const out: PreviewArgs = { file: '', parser: null, head: DEFAULT_HEAD, json: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const flag = a.startsWith('--') ? a.split('=')[0] : a;
    const value = () => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--parser':
        out.parser = value();
        break;
      case '--head': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--head takes a whole number, got ${v}`);
        out.head = Number(v);
        break;
      }
      case '--json':
        out.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'a file to preview is required' : `one file only, got ${positional.join(' ')}`);
  out.file = positional[0];
  return out;
}

/** Why a file cannot be read, in a few words (the file system's code where there is one). */
function readProblem(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `not a valid gzip file (${e.message})`;
    default:
      return (e.message ?? String(err)).split('\n')[0];
  }
}

async function readHead(file: string): Promise<Uint8Array> {
  for await (const chunk of readFileChunks(file, { highWaterMark: HEAD_BYTES })) return chunk;
  return new Uint8Array(0);
}

interface OutputPreview {
  rows: number;
  head: ParserRow[];
  sample: ParserRow[];
}

export interface PreviewReport {
  file: string;
  size_bytes: number;
  parser: { id: string; version: string; logic_hash: string };
  detected: boolean;
  format: string;
  delimiter: string | null;
  messages: number;
  bytes_read: number;
  msg_types: Record<string, number>;
  integrity: Record<string, number>;
  outputs: Record<string, { rows: number; observed_schema: ObservedSchema; head: ParserRow[] }>;
  parse_errors: Record<string, number>;
  parse_error_head: ParserRow[];
  details: Record<string, unknown>;
}

function numberRecord(value: unknown): Record<string, number> {
  if (value === null || typeof value !== 'object') return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([, n]) => typeof n === 'number')) as Record<string, number>;
}

export async function previewFile(file: string, parser: ParserDefinition, detected: boolean, head: number): Promise<PreviewReport> {
  const outputs = new Map<string, OutputPreview>();
  for (const o of parser.outputs) outputs.set(o.name, { rows: 0, head: [], sample: [] });
  const errorHead: ParserRow[] = [];
  const gen = parser.parse(readFileChunks(file));
  let summary: ParseSummary;
  for (;;) {
    let next: IteratorResult<{ output: string; rows: ParserRow[] }, ParseSummary>;
    try {
      next = await gen.next();
    } catch (err) {
      // The parser never throws on bad input; what reaches here is the file system (or gunzip).
      throw new InputError(`cannot read ${file}: ${readProblem(err)}`);
    }
    if (next.done) {
      summary = next.value;
      break;
    }
    const { output, rows } = next.value;
    if (output === parser.errorOutput) {
      for (const r of rows) if (errorHead.length < head) errorHead.push(r);
      continue;
    }
    let o = outputs.get(output);
    if (!o) outputs.set(output, (o = { rows: 0, head: [], sample: [] }));
    o.rows += rows.length;
    for (const r of rows) {
      if (o.head.length < head) o.head.push(r);
      if (o.sample.length < SCHEMA_SAMPLE_ROWS) o.sample.push(r);
      else break;
    }
  }
  const { msg_types, integrity, ...details } = summary.details;
  return {
    file,
    size_bytes: (await stat(file)).size,
    parser: { id: parser.id, version: parser.version, logic_hash: parser.logicHash() },
    detected,
    format: summary.format,
    delimiter: summary.delimiter,
    messages: summary.messages,
    bytes_read: summary.bytesRead,
    msg_types: numberRecord(msg_types),
    integrity: numberRecord(integrity),
    outputs: Object.fromEntries(
      [...outputs].map(([name, o]) => [name, { rows: o.rows, observed_schema: inferObservedSchema(o.sample), head: o.head }]),
    ),
    parse_errors: { ...summary.parseErrors },
    parse_error_head: errorHead,
    details,
  };
}

const DELIMITER_NAMES: Record<string, string> = { '\t': 'tab', ',': 'comma', ';': 'semicolon' };

function counts(record: Record<string, number>): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? 'none' : entries.map(([k, n]) => `${k}=${n}`).join('  ');
}

/** A column type as a contract would spell it: decimal(18,4), timestamp_tz(UTC), enum[A|B]. */
function typeLabel(t: ColumnType | null): string | null {
  if (t === null) return null;
  if (typeof t === 'string') return t;
  switch (t.kind) {
    case 'decimal':
      return `decimal(${t.precision},${t.scale})`;
    case 'timestamp_tz':
      return `timestamp_tz(${t.tz})`;
    case 'enum':
      return `enum[${t.values.join('|')}]`;
    default:
      return t.kind;
  }
}

/** A row for the terminal: non-empty cells only, position columns last. */
function rowLine(row: ParserRow): string {
  return JSON.stringify(Object.fromEntries(Object.entries(row).filter(([, v]) => v !== null && v !== '')));
}

export function formatTextReport(r: PreviewReport, head: number): string {
  const lines = [
    `file          ${r.file} (${r.size_bytes} bytes${r.bytes_read !== r.size_bytes ? `, ${r.bytes_read} read` : ''})`,
    `parser        ${r.parser.id} ${r.parser.version}${r.detected ? ' (detected)' : ''}  logic_hash ${r.parser.logic_hash.slice(0, 12)}`,
    `format        ${r.format}, delimiter ${r.delimiter === null ? 'none' : (DELIMITER_NAMES[r.delimiter] ?? r.delimiter)}`,
    `messages      ${r.messages}`,
  ];
  if (Object.keys(r.msg_types).length > 0) lines.push(`msg types     ${counts(r.msg_types)}`);
  if (Object.keys(r.integrity).length > 0) lines.push(`integrity     ${counts(r.integrity)}`);
  lines.push(`rows          ${Object.entries(r.outputs).map(([name, o]) => `${name}=${o.rows}`).join('  ')}`);
  lines.push(`parse errors  ${counts(r.parse_errors)}`);
  for (const e of r.parse_error_head) lines.push(`  line ${e.line_number} @${e.source_offset}: ${e.code}: ${e.message}`);
  for (const [name, o] of Object.entries(r.outputs)) {
    if (o.rows === 0) continue;
    lines.push('', `${name}: observed schema (${o.observed_schema.rows} rows sampled)`);
    const seen = o.observed_schema.columns.filter((c) => c.type !== 'empty');
    const width = Math.max(6, ...seen.map((c) => c.name.length));
    for (const c of seen) {
      const type = `${typeLabel(c.column_type) ?? c.type}${c.format ? ` (${c.format})` : ''}`;
      lines.push(`  ${c.name.padEnd(width)}  ${type.padEnd(40)}  nulls ${(c.null_ratio * 100).toFixed(0)}%`);
    }
    const empty = o.observed_schema.columns.filter((c) => c.type === 'empty').map((c) => c.name);
    if (empty.length > 0) lines.push(`  always empty: ${empty.join(', ')}`);
    if (head > 0) {
      lines.push(`${name}: first ${o.head.length} row${o.head.length === 1 ? '' : 's'}`);
      for (const row of o.head) lines.push(`  ${rowLine(row)}`);
    }
  }
  return lines.join('\n');
}

/** logic_hash reads parser sources from the repository: point it at this checkout whatever the cwd. */
function ensureWorkbenchRoot(): void {
  if (!process.env.WORKBENCH_ROOT) {
    process.env.WORKBENCH_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  }
}

async function choose(args: PreviewArgs): Promise<{ parser: ParserDefinition; detected: boolean }> {
  const known = listParsers().map((p) => p.id).join(', ');
  if (args.parser !== null) {
    const parser = getParser(args.parser);
    if (!parser) throw new UsageError(`unknown parser ${args.parser} (known: ${known})`);
    return { parser, detected: false };
  }
  let head: Uint8Array;
  try {
    head = await readHead(args.file);
  } catch (err) {
    throw new InputError(`cannot read ${args.file}: ${readProblem(err)}`);
  }
  const parser = detectParser(head);
  if (!parser) throw new InputError(`cannot detect the format of ${args.file}; give --parser (known: ${known})`);
  return { parser, detected: true };
}

export async function run(args: string[]): Promise<number> {
  try {
    const parsed = parsePreviewArgs(args);
    try {
      const s = await stat(parsed.file);
      if (s.isDirectory()) throw new InputError(`cannot read ${parsed.file}: is a directory`);
    } catch (err) {
      if (err instanceof InputError) throw err;
      throw new InputError(`cannot read ${parsed.file}: ${readProblem(err)}`);
    }
    ensureWorkbenchRoot();
    const { parser, detected } = await choose(parsed);
    const report = await previewFile(parsed.file, parser, detected, parsed.head);
    console.log(parsed.json ? JSON.stringify(report) : formatTextReport(report, parsed.head));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(err.message ? `workbench preview: ${err.message}\n${USAGE}` : USAGE);
      return 2;
    }
    if (err instanceof InputError) {
      console.error(`workbench preview: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
