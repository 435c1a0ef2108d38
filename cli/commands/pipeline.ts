// `workbench pipeline apply <file>` | `run <name> --logical-date D [--dry-run] [--json]` |
// `backfill <name> --start D1 --end D2 [--json]`: talks to the running server's API
// (WORKBENCH_URL, default http://localhost:3000), logged in as WORKBENCH_USER / WORKBENCH_PASSWORD.
// Definitions are JSON (no YAML parser is installed). Exit codes: 0 done (completed, no-op or
// dry run), 1 the run failed or the server refused, 2 bad usage, 3 the server cannot be reached.
import { readFile } from 'node:fs/promises';

export const summary = 'apply, run and backfill pipelines on the running server';

const USAGE = [
  'usage: workbench pipeline apply <file.json>',
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
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
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

async function post(cookie: string, path: string, body: string): Promise<{ res: Response; json: Record<string, unknown> | null }> {
  const res = await request(path, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body });
  if (!res.ok && res.status !== 422) throw new CliError(await errorText(res), 1);
  return { res, json: (await res.json()) as Record<string, unknown> };
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
    if (/\.ya?ml$/i.test(target)) throw new CliError('YAML definitions are not supported; write the definition as JSON', 2);
    const text = await readFile(target, 'utf8').catch(() => {
      throw new CliError(`cannot read ${target}`, 2);
    });
    const cookie = await login();
    const { json: body } = await post(cookie, '/api/pipelines', text);
    if (json) console.log(JSON.stringify(body));
    else console.log(`${String(body!.name)}: ${body!.changed ? `version ${String(body!.version)} applied` : `unchanged (version ${String(body!.version)})`}`);
    return 0;
  }
  const cookie = await login();
  if (command === 'run') {
    const { json: body } = await post(
      cookie,
      `/api/pipelines/${encodeURIComponent(target)}/run`,
      JSON.stringify({ logical_date: flags['--logical-date'], dry_run: flags['--dry-run'] === true }),
    );
    const r = body as unknown as RunJson;
    if (json) console.log(JSON.stringify(r));
    else {
      for (const f of r.selected ?? []) console.log(`${f.path}\t${f.size}\t${f.mtime}\t${f.sha256}`);
      console.log(`${r.status}: ${r.message}`);
      console.log(`snapshot ${r.snapshot_hash ?? '-'}; files ${r.files}; jobs ${r.job_ids.join(' ') || '-'}`);
    }
    return r.status === 'failed' ? 1 : 0;
  }
  const { json: body } = await post(
    cookie,
    `/api/pipelines/${encodeURIComponent(target)}/backfill`,
    JSON.stringify({ start: flags['--start'], end: flags['--end'] }),
  );
  const b = body as unknown as { status: string; days: RunJson[]; completed: number; skipped: number; failed: number };
  if (json) console.log(JSON.stringify(b));
  else {
    for (const d of b.days) console.log(`${d.logical_date}\t${d.status}\tfiles ${d.files}\tjobs ${d.job_ids.length}\t${d.snapshot_hash ?? '-'}`);
    console.log(`${b.status}: ${b.completed} run, ${b.skipped} already done, ${b.failed} failed`);
  }
  return b.status === 'failed' ? 1 : 0;
}
