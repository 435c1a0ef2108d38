import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// A parser's logic_hash: sha256 over its own source files, so that a change of behaviour
// without a version bump can be shown. Sources are read from the repository (found from
// WORKBENCH_ROOT, else by walking up from the working directory to our package.json); the
// result is cached per directory for the life of the process (sources do not change under a
// running process; a deploy restarts it).

const PACKAGE_NAME = 'trade-break-workbench';
const cache = new Map<string, string>();

function isWorkbenchRoot(dir: string): boolean {
  const pkg = path.join(dir, 'package.json');
  if (!existsSync(pkg)) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown }).name === PACKAGE_NAME;
  } catch {
    return false;
  }
}

/** The repository root: WORKBENCH_ROOT, else the nearest ancestor of the cwd with our package.json. */
export function workbenchRoot(): string {
  const fromEnv = process.env.WORKBENCH_ROOT;
  if (fromEnv) return path.resolve(fromEnv);
  for (let dir = process.cwd(); ; ) {
    if (isWorkbenchRoot(dir)) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`logic_hash: cannot find the ${PACKAGE_NAME} package root from ${process.cwd()}; set WORKBENCH_ROOT`);
}

function sourceFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const child = rel ? `${rel}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...sourceFiles(dir, child));
    else if (entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(child);
  }
  return out;
}

/**
 * sha256 (hex) of a parser directory's sources: every `*.ts` file below it except `*.test.ts`,
 * in sorted relative-path order, each hashed as `path NUL content NUL` so that a rename or a
 * moved line changes the hash. `dirRelativeToRoot` is e.g. 'lib/parsers/confirmations'.
 */
export function logicHashOf(dirRelativeToRoot: string): string {
  const dir = path.join(workbenchRoot(), dirRelativeToRoot);
  const cached = cache.get(dir);
  if (cached !== undefined) return cached;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`logic_hash: ${dir} is not a directory`);
  const digest = sha256OfFiles(dir, sourceFiles(dir).sort());
  cache.set(dir, digest);
  return digest;
}

/**
 * sha256 (hex) over the files in the order given, each as `path NUL content NUL` (the path as
 * given, relative to `dir`). Throws when a file cannot be read. Also the worker bundle's record of
 * its sources (lib/server/jobs/worker-bundle.ts).
 */
export function sha256OfFiles(dir: string, files: readonly string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(file);
    hash.update('\0');
    hash.update(readFileSync(path.join(dir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
