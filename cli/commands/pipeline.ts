// `workbench pipeline apply <file>` | `run <name> --logical-date D [--dry-run] [--json]` |
// `backfill <name> --start D1 --end D2 [--json]`: talks to the running server's API
// (WORKBENCH_URL, default http://localhost:3000), logged in as WORKBENCH_USER / WORKBENCH_PASSWORD.
// Definitions are JSON or YAML (YAML is read here and sent as JSON). Exit codes: 0 done (completed, no-op or
// dry run), 1 the run failed or the server refused, 2 bad usage, 3 the server cannot be reached.
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';

export const summary = 'apply, run and backfill pipelines on the running server';

const USAGE = [
  'usage: workbench pipeline apply <file.json|file.yaml> [--json]',
  '       workbench pipeline run <name> --logical-date yyyy-MM-dd [--dry-run] [--json]',
  '       workbench pipeline backfill <name> --start yyyy-MM-dd --end yyyy-MM-dd [--json]',
].join('\n');

class UsageError extends Error {}
class CliError extends Error {
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

interface Parsed {
  command: 'apply' | 'run' | 'backfill';
  target: string;
  flags: Record<string, string | true>;
}

const VALUE_FLAGS = new Set(['--logical-date', '--start', '--end']);
const BOOL_FLAGS = new Set(['--dry-run', '--json']);

export function parsePipelineArgs(args: readonly string[]): Parsed {
  const [command, ...rest] = args;
  if (command !== 'apply' && command !== 'run' && command !== 'backfill') throw new UsageError(command ? `unknown subcommand ${command}` : 'a subcommand is needed');
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (BOOL_FLAGS.has(flag)) flags[flag] = true;
    else if (VALUE_FLAGS.has(flag)) {
      const v = inline ?? rest[++i];
      if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      flags[flag] = v;
    } else throw new UsageError(`unknown option ${flag}`);
  }
  if (positional.length !== 1) throw new UsageError(`${command} takes exactly one ${command === 'apply' ? 'file' : 'pipeline name'}`);
  if (command === 'run' && typeof flags['--logical-date'] !== 'string') throw new UsageError('run needs --logical-date yyyy-MM-dd');
  if (command === 'backfill' && (typeof flags['--start'] !== 'string' || typeof flags['--end'] !== 'string')) {
    throw new UsageError('backfill needs --start and --end');
  }
  return { command, target: positional[0], flags };
}

function baseUrl(): string {
  return (process.env.WORKBENCH_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
}

async function request(path: string, init: RequestInit): Promise<Response> {
  const url = `${baseUrl()}${path}`;
  try {
    return await fetch(url, init);
  } catch {
    throw new CliError(`cannot reach the workbench server at ${baseUrl()}: is it running? (start it with npm start, or set WORKBENCH_URL)`, 3);
  }
}

async function login(): Promise<string> {
  await request('/api/health', { method: 'GET' });
  const username = process.env.WORKBENCH_USER;
  const password = process.env.WORKBENCH_PASSWORD;
  if (!username || !password) throw new CliError('set WORKBENCH_USER and WORKBENCH_PASSWORD to log in to the server', 2);
  const res = await request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new CliError(`login as ${username} failed: ${await errorText(res)}`, 1);
  // getSetCookie keeps each Set-Cookie apart (get() would join them with commas).
  const cookies = res.headers.getSetCookie();
  const cookie = (cookies.find((c) => c.startsWith('wb_session=')) ?? cookies[0] ?? '').split(';')[0];
  if (!cookie) throw new CliError('the server answered the login without a session cookie', 1);
  return cookie;
}

async function errorText(res: Response): Promise<string> {
  const text = await res.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    if (body.error) return `${body.error.code}: ${body.error.message}`;
  } catch {
    /* not JSON */
  }
  return `HTTP ${res.status}`;
}

/**
 * POSTs JSON and returns the answer's JSON. A 422 that carries an outcome (a failed run or
 * backfill has a `status`) is returned; any other refusal, and an answer that is not JSON
 * (WORKBENCH_URL pointing at something else), is a CliError with the server's error code.
 */
async function post(cookie: string, path: string, body: string): Promise<Record<string, unknown>> {
  const res = await request(path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const obj = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  const isOutcome = obj !== null && typeof obj.status === 'string';
  if (!res.ok && !(res.status === 422 && isOutcome)) {
    const err = obj?.error as { code?: unknown; message?: unknown } | undefined;
    throw new CliError(err && typeof err.code === 'string' ? `${err.code}: ${String(err.message ?? '')}` : `HTTP ${res.status}`, 1);
  }
  if (!obj) throw new CliError(`the server at ${baseUrl()} did not answer ${path} with JSON: is WORKBENCH_URL a workbench server?`, 1);
  return obj;
}

interface RunJson {
  status: string;
  logical_date: string;
  snapshot_hash: string | null;
  files: number;
  skipped_files: number;
  job_ids: string[];
  message: string;
  selected?: { path: string; size: number; mtime: string; sha256: string }[];
}

export async function run(args: string[]): Promise<number> {
  let parsed: Parsed;
  try {
    parsed = parsePipelineArgs(args);
  } catch (e) {
    console.error(`workbench pipeline: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    return await execute(parsed);
  } catch (e) {
    if (e instanceof CliError) {
      console.error(`workbench pipeline: ${e.message}`);
      return e.exitCode;
    }
    throw e;
  }
}

async function execute({ command, target, flags }: Parsed): Promise<number> {
  const json = flags['--json'] === true;
  if (command === 'apply') {
    const raw = await readFile(target, 'utf8').catch(() => {
      throw new CliError(`cannot read ${target}`, 2);
    });
    const text = /\.ya?ml$/i.test(target) ? yamlAsJson(raw, target) : raw;
    const cookie = await login();
    const body = await post(cookie, '/api/pipelines', text);
    if (json) console.log(JSON.stringify(body));
    else console.log(`${String(body.name)}: ${body.changed ? `version ${String(body.version)} applied` : `unchanged (version ${String(body.version)})`}`);
    return 0;
  }
  const cookie = await login();
  if (command === 'run') {
    const body = await post(
      cookie,
      `/api/pipelines/${encodeURIComponent(target)}/run`,
      JSON.stringify({ logical_date: flags['--logical-date'], dry_run: flags['--dry-run'] === true }),
    );
    const r = body as unknown as RunJson;
    if (json) console.log(JSON.stringify(r));
    else {
      for (const f of r.selected ?? []) console.log(`${f.path}\t${f.size}\t${f.mtime}\t${f.sha256}`);
      console.log(`${r.status}: ${r.message}`);
      console.log(`snapshot ${r.snapshot_hash ?? '-'}; files ${r.files}; jobs ${(r.job_ids ?? []).join(' ') || '-'}`);
    }
    return r.status === 'failed' ? 1 : 0;
  }
  const body = await post(
    cookie,
    `/api/pipelines/${encodeURIComponent(target)}/backfill`,
    JSON.stringify({ start: flags['--start'], end: flags['--end'] }),
  );
  const b = body as unknown as { status: string; days: RunJson[]; completed: number; skipped: number; failed: number };
  if (json) console.log(JSON.stringify(b));
  else {
    for (const d of b.days ?? []) console.log(`${d.logical_date}\t${d.status}\tfiles ${d.files}\tjobs ${(d.job_ids ?? []).length}\t${d.snapshot_hash ?? '-'}`);
    console.log(`${b.status}: ${b.completed} run, ${b.skipped} already done, ${b.failed} failed`);
  }
  return b.status === 'failed' ? 1 : 0;
}

/** A YAML definition becomes the same JSON document the server validates (zod) as any other. */
function yamlAsJson(text: string, file: string): string {
  try {
    return JSON.stringify(parseYaml(text));
  } catch (e) {
    throw new CliError(`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
}
