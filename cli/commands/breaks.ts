// `workbench breaks <fix-file>… [--confirmations <csv>]… [--as-of yyyy-MM-dd] [--json]`: parses the
// files locally with the same pipeline a worker job runs (default contracts), loads the valid
// rows into an in-memory DuckDB (no server) and runs break detection on them.
// --json prints {"orders": n, "breaks": [{"class","cl_ord_id","session","details"}], "by_class": {…}}.
// Exit codes: 0 detection ran (breaks or not), 1 a file failed its contract, 2 bad usage.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import type { ContractDocument } from '../../lib/contracts/contract-document';
import { getParser } from '../../lib/parsers/registry';
import { detectBreaks } from '../../db/breaks/detect-breaks';
import { openMemoryDb, type MemoryDb } from '../../db/breaks/open-memory-db';
import { runPipeline } from '../../worker/run-pipeline';

export const summary = 'find trade breaks in FIX logs (and against confirmations) locally, no server';

const USAGE = 'usage: workbench breaks <fix-file>… [--confirmations <csv>]… [--as-of yyyy-MM-dd] [--json]';

export interface BreaksArgs {
  fixFiles: string[];
  confirmations: string[];
  asOf: string | null;
  json: boolean;
}

class UsageError extends Error {}

export function parseBreaksArgs(args: readonly string[]): BreaksArgs {
  const out: BreaksArgs = { fixFiles: [], confirmations: [], asOf: null, json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const flag = a.startsWith('--') ? a.split('=')[0] : a;
    const value = () => {
      const eq = a.indexOf('=');
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--confirmations':
        out.confirmations.push(value());
        break;
      case '--as-of': {
        const v = value();
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new UsageError(`--as-of takes a date yyyy-MM-dd, got ${v}`);
        out.asOf = v;
        break;
      }
      case '--json':
        out.json = true;
        break;
      case '--help':
      case '-h':
        throw new UsageError('');
      default:
        if (a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        out.fixFiles.push(a);
    }
  }
  if (out.fixFiles.length === 0) throw new UsageError('at least one FIX file is required');
  for (const f of [...out.fixFiles, ...out.confirmations]) if (!existsSync(f)) throw new UsageError(`no such file: ${f}`);
  return out;
}

interface LoadedFile {
  file: string;
  parserId: string;
  stagingDir: string;
}

/** Parses one file into stagingDir with the parser's default contracts; returns the valid Parquet files per output. */
async function parseFile(
  input: LoadedFile,
): Promise<{ ok: true; files: Record<string, string[]>; quarantined: number } | { ok: false; message: string }> {
  const parser = getParser(input.parserId);
  if (!parser) return { ok: false, message: `parser ${input.parserId} is not registered` };
  const contracts: Record<string, ContractDocument> = {};
  for (const o of parser.outputs) contracts[o.name] = defaultContractFor(parser, o.name);
  const result = await runPipeline({
    filePath: path.resolve(input.file),
    parserId: parser.id,
    parser,
    contracts,
    jobId: `cli-${randomUUID()}`,
    stagingDir: input.stagingDir,
  });
  if (result.status === 'FAILED') {
    const reasons = [
      ...result.problems.map((p) => `${p.code}: ${p.message}`),
      ...Object.entries(result.outputs)
        .filter(([, o]) => o.status === 'FAILED')
        .map(([name, o]) => `${name}: ${o.reason ?? 'failed'}: ${o.message}`),
    ];
    return { ok: false, message: `${input.file}: FAILED\n  ${reasons.join('\n  ')}` };
  }
  const files: Record<string, string[]> = {};
  let quarantined = 0;
  for (const [name, o] of Object.entries(result.outputs)) {
    quarantined += o.quarantine_rows;
    const valid = o.files.filter((f) => f.endsWith('valid.parquet')).map((f) => path.join(input.stagingDir, f));
    if (valid.length > 0) files[name] = valid;
  }
  return { ok: true, files, quarantined };
}

async function loadTables(db: MemoryDb, files: Record<string, string[]>): Promise<void> {
  for (const [table, list] of Object.entries(files)) {
    const literal = list.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
    await db.run(`CREATE TABLE "${table.replace(/"/g, '""')}" AS SELECT * FROM read_parquet([${literal}], union_by_name = true)`);
  }
}

interface ReportedBreak {
  class: string;
  cl_ord_id: string | null;
  session: string | null;
  severity: string;
  details: Record<string, unknown>;
}

export async function run(args: string[]): Promise<number> {
  process.env.WORKBENCH_ROOT ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  let parsed: BreaksArgs;
  try {
    parsed = parseBreaksArgs(args);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) console.error(`workbench breaks: ${e.message}`);
    console.error(USAGE);
    return 2;
  }
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'workbench-breaks-'));
  let db: MemoryDb | null = null;
  try {
    const inputs: LoadedFile[] = [
      ...parsed.fixFiles.map((file, i) => ({ file, parserId: 'fix', stagingDir: path.join(tmp, `fix-${i}`) })),
      ...parsed.confirmations.map((file, i) => ({ file, parserId: 'confirmations_csv', stagingDir: path.join(tmp, `conf-${i}`) })),
    ];
    const tables: Record<string, string[]> = {};
    let quarantined = 0;
    for (const input of inputs) {
      const r = await parseFile(input);
      if (!r.ok) {
        console.error(`workbench breaks: ${r.message}`);
        return 1;
      }
      quarantined += r.quarantined;
      for (const [name, list] of Object.entries(r.files)) (tables[name] ??= []).push(...list);
    }
    if (quarantined > 0) {
      console.error(`workbench breaks: warning: ${quarantined} rows were quarantined by the default contracts and are not part of detection`);
    }
    db = await openMemoryDb();
    await loadTables(db, tables);
    const profile = process.env.WORKBENCH_BREAKS_PROFILE === '1';
    await detectBreaks(db, {
      ...(parsed.asOf ? { asOf: parsed.asOf } : {}),
      ...(profile ? { onStep: (step: string, ms: number) => console.error(`breaks: ${step} ${ms} ms`) } : {}),
    });
    const orders = Number((await db.all<{ n: number }>('SELECT count(*)::INTEGER AS n FROM order_chains'))[0].n);
    const rows = await db.all<Record<string, unknown>>(
      `SELECT class, cl_ord_id, session, severity, details FROM breaks WHERE status = 'open' ORDER BY class, session, cl_ord_id, match_key`,
    );
    const breaks: ReportedBreak[] = rows.map((r) => ({
      class: String(r.class),
      cl_ord_id: (r.cl_ord_id as string | null) ?? null,
      session: (r.session as string | null) ?? null,
      severity: String(r.severity),
      details: JSON.parse(String(r.details)) as Record<string, unknown>,
    }));
    const byClass: Record<string, number> = {};
    for (const b of breaks) byClass[b.class] = (byClass[b.class] ?? 0) + 1;
    if (parsed.json) {
      console.log(
        JSON.stringify(
          { orders, breaks: breaks.map(({ class: cls, cl_ord_id, session, details }) => ({ class: cls, cl_ord_id, session, details })), by_class: byClass },
          null,
          2,
        ),
      );
    } else {
      console.log(formatText(orders, breaks, byClass));
    }
    return 0;
  } finally {
    if (db) await db.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

function formatText(orders: number, breaks: ReportedBreak[], byClass: Record<string, number>): string {
  const lines = [`orders: ${orders}`, `breaks: ${breaks.length}`];
  for (const [cls, n] of Object.entries(byClass).sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`  ${cls.padEnd(24)} ${n}`);
  if (breaks.length > 0) lines.push('');
  for (const b of breaks) {
    const { rule: _rule, ...facts } = b.details;
    lines.push(`${b.class.padEnd(24)} ${b.severity.padEnd(8)} ${(b.cl_ord_id ?? '-').padEnd(16)} ${b.session ?? '-'}  ${JSON.stringify(facts)}`);
  }
  return lines.join('\n');
}
