// `workbench validate <file> --contract <contract.json> [--contract <more.json>] [--parser ID]
//  [--out DIR] [--json]`: runs parse → validate → split → lineage → Parquet locally, the same
// runner as a worker job, and prints per output its status, rows, quarantine_rows, violations by
// type and the policy decision. `--out DIR` keeps the Parquet files and manifest.json there;
// without it they go to a temporary directory that is removed afterwards.
// Exit codes: 0 SUCCESS or PARTIAL_SUCCESS, 1 FAILED, 2 bad usage / unreadable file or contract.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, open, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseContractDocument, type ContractDocument } from '../../lib/contracts/contract-document';
import { detectParser, getParser, listParsers } from '../../lib/parsers/registry';
import type { ParserDefinition } from '../../lib/parsers/parser-types';
import { runPipeline, type RunResult } from '../../worker/run-pipeline';

export const summary = 'validate a file against contracts: status, rows, quarantine, violations (Parquet with --out)';

const USAGE = 'usage: workbench validate <file> --contract <contract.json> [--contract <more.json>] [--parser ID] [--out DIR] [--json]';

export interface ValidateArgs {
  file: string;
  contracts: string[];
  parser: string | null;
  out: string | null;
  json: boolean;
}

class UsageError extends Error {}

export function parseValidateArgs(args: readonly string[]): ValidateArgs {
  const out: ValidateArgs = { file: '', contracts: [], parser: null, out: null, json: false };
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (flag: string) => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const flag = a.startsWith('--') ? a.split('=')[0] : a;
    switch (flag) {
      case '--contract':
        out.contracts.push(value(flag));
        break;
      case '--parser':
        out.parser = value(flag);
        break;
      case '--out':
        out.out = value(flag);
        break;
      case '--json':
        out.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        positional.push(a);
    }
  }
  if (positional.length !== 1) throw new UsageError(positional.length === 0 ? 'a file to validate is required' : `one file only, got ${positional.join(' ')}`);
  if (out.contracts.length === 0) throw new UsageError('at least one --contract is required');
  out.file = positional[0];
  return out;
}

/** Reads and checks the contract files; one contract per output. */
function loadContracts(files: readonly string[]): Record<string, ContractDocument> {
  const contracts: Record<string, ContractDocument> = {};
  for (const f of files) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw new UsageError(`contract ${f}: ${(e as Error).message}`);
    }
    const parsed = parseContractDocument(json);
    if (!parsed.ok) {
      throw new UsageError(`contract ${f} is invalid:\n${parsed.problems.map((p) => `  ${p.code} at ${p.path || '(document)'}: ${p.message}`).join('\n')}`);
    }
    if (contracts[parsed.contract.output]) throw new UsageError(`two contracts given for output ${parsed.contract.output}`);
    contracts[parsed.contract.output] = parsed.contract;
  }
  return contracts;
}

async function readHead(file: string, bytes = 64 * 1024): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** --parser, else the parser the contracts name (when they agree), else detection from the file's head. */
async function chooseParser(args: ValidateArgs, contracts: Record<string, ContractDocument>): Promise<ParserDefinition> {
  const known = () => listParsers().map((p) => p.id).join(', ');
  if (args.parser) {
    const p = getParser(args.parser);
    if (!p) throw new UsageError(`unknown parser ${args.parser} (known: ${known()})`);
    return p;
  }
  const named = [...new Set(Object.values(contracts).map((c) => c.parser_id))];
  if (named.length === 1 && getParser(named[0])) return getParser(named[0])!;
  const detected = detectParser(await readHead(args.file));
  if (!detected) throw new UsageError(`cannot tell which parser reads ${args.file}; give --parser (known: ${known()})`);
  return detected;
}

function formatViolations(v: Record<string, number>): string {
  const entries = Object.entries(v).filter(([, n]) => n > 0).sort(([a], [b]) => (a < b ? -1 : 1));
  return entries.length === 0 ? 'none' : entries.map(([t, n]) => `${t} ${n}`).join(', ');
}

export function formatTextReport(result: RunResult, outDir: string | null): string {
  const lines: string[] = [`status: ${result.status}`];
  for (const p of result.problems) lines.push(`problem: ${p.code}: ${p.message}`);
  for (const name of Object.keys(result.outputs).sort()) {
    const o = result.outputs[name];
    lines.push('', `${name}: ${o.status}`);
    if (o.status === 'no_contract') {
      lines.push(`  not validated (no contract given); ${o.parsed_rows} rows parsed`);
      continue;
    }
    lines.push(`  rows ${o.rows}  quarantine_rows ${o.quarantine_rows}  (of ${o.parsed_rows} parsed)`);
    lines.push(`  violations: ${formatViolations(o.violations)}`);
    lines.push(`  policy: ${o.reason ?? 'ok'}: ${o.message}`);
    if (o.shape && !o.shape.ok) for (const m of o.shape.messages) lines.push(`  shape: ${m}`);
    if (o.result_hash) lines.push(`  result_hash ${o.result_hash}`);
    if (outDir) for (const f of o.files) lines.push(`  file ${path.join(outDir, f)}`);
  }
  const parseErrors = Object.entries(result.manifest.parse_errors);
  if (parseErrors.length > 0) lines.push('', `parse errors: ${parseErrors.map(([c, n]) => `${c} ${n}`).join(', ')}`);
  for (const w of result.warnings) lines.push(`warning: ${w}`);
  if (outDir) lines.push('', `manifest ${path.join(outDir, 'manifest.json')}`);
  return lines.join('\n');
}

export function jsonReport(result: RunResult, outDir: string | null): unknown {
  const outputs: Record<string, unknown> = {};
  for (const name of Object.keys(result.outputs).sort()) {
    const o = result.outputs[name];
    outputs[name] = {
      status: o.status,
      rows: o.rows,
      quarantine_rows: o.quarantine_rows,
      violations: o.violations,
      result_hash: o.result_hash,
      reason: o.reason,
      message: o.message,
      parsed_rows: o.parsed_rows,
      contract_hash: o.contract_hash,
      shape: o.shape,
      files: outDir ? o.files.map((f) => path.join(outDir, f)) : [],
    };
  }
  return {
    status: result.status,
    outputs,
    problems: result.problems,
    warnings: result.warnings,
    parse_summary: result.parse_summary,
    out: outDir,
    manifest: result.manifest,
  };
}

export async function run(args: string[]): Promise<number> {
  // `npx workbench` runs from any directory; a parser's logic_hash reads its sources from the
  // repository root, found from the cwd unless WORKBENCH_ROOT says where it is.
  process.env.WORKBENCH_ROOT ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  let parsed: ValidateArgs;
  let contracts: Record<string, ContractDocument>;
  let parser: ParserDefinition;
  try {
    parsed = parseValidateArgs(args);
    if (!existsSync(parsed.file)) throw new UsageError(`no such file: ${parsed.file}`);
    contracts = loadContracts(parsed.contracts);
    parser = await chooseParser(parsed, contracts);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`workbench validate: ${e.message}`);
    console.error(USAGE);
    return 2;
  }

  let stagingDir: string;
  if (parsed.out) {
    stagingDir = path.resolve(parsed.out);
    if (existsSync(stagingDir) && (await readdir(stagingDir)).length > 0) {
      console.error(`workbench validate: --out ${parsed.out} exists and is not empty`);
      return 2;
    }
  } else {
    stagingDir = await mkdtemp(path.join(os.tmpdir(), 'workbench-validate-'));
  }
  try {
    const result = await runPipeline({
      filePath: path.resolve(parsed.file),
      parserId: parser.id,
      parser,
      contracts,
      jobId: randomUUID(),
      stagingDir,
    });
    const outDir = parsed.out ? stagingDir : null;
    if (parsed.json) console.log(JSON.stringify(jsonReport(result, outDir), null, 2));
    else console.log(formatTextReport(result, outDir));
    return result.status === 'FAILED' ? 1 : 0;
  } finally {
    if (!parsed.out) await rm(stagingDir, { recursive: true, force: true });
  }
}
