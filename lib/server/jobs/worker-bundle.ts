// The worker as one prebuilt JavaScript file (scripts/build-worker-bundle.ts), used only while it
// is exactly the code of the sources.
//
// Why: a worker started through tsx loads its ~80 TypeScript modules and ~100 of its packages'
// through tsx's module hooks: 0.44 s and 0.62 CPU-s before it can take its job, against 0.2 s and
// 0.27 CPU-s for one bundled file (alone; under a 1M end-to-end run fork → ready took 0.7 s).
// A 1M end-to-end run starts three workers, two of them on its critical path: about 0.7 s and
// 1.5 CPU-s less with the bundle (docs/performance.md, "Workers from one prebuilt file").
//
// Invariant: the bundle runs only when every source file it was built from still has the content
// it was built from, and package-lock.json too (`inputs.json` beside it records their sha256).
// Otherwise the worker starts from the TypeScript sources as before. This matters beyond speed:
// a parser's logic_hash (lineage) is computed from the sources on disk, so a stale bundle would
// record the hash of code it does not run.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { sha256OfFiles } from '../../parsers/logic-hash';

export const WORKER_BUNDLE_FILE = 'main.mjs';
export const WORKER_BUNDLE_INPUTS = 'inputs.json';

/** Where `npm run build` (and `npm start`) write the bundle: inside .next, so a new build replaces it. */
export function defaultWorkerBundleDir(root: string): string {
  return path.join(root, '.next', 'workbench-worker');
}

/**
 * What inputs.json holds: the repository files the bundle was built from (paths relative to the
 * repository root, '/'-separated, sorted; never absolute or leaving it) and their digest
 * (inputsDigest(root, files) when the bundle was built).
 */
const workerBundleInputsSchema = z.object({
  files: z.array(z.string().min(1).refine((f) => !path.isAbsolute(f) && !f.split('/').includes('..'))).min(1),
  digest: z.string(),
});
export type WorkerBundleInputs = z.infer<typeof workerBundleInputsSchema>;

/**
 * sha256 (hex) over the given files and package-lock.json (the bundled packages' versions), each
 * as `path NUL content NUL`, in sorted order. Throws when a file cannot be read.
 */
export function inputsDigest(root: string, files: readonly string[]): string {
  return sha256OfFiles(root, [...files, 'package-lock.json'].sort());
}

/**
 * The bundle's path when `dir` holds a bundle built from exactly the sources under `root` now;
 * null when there is none, it is stale, or its record does not read. A few milliseconds (it
 * re-reads the ~80 sources), so it is checked at every worker start.
 */
export function freshWorkerBundle(dir: string, root: string): string | null {
  const bundle = path.join(dir, WORKER_BUNDLE_FILE);
  const record = path.join(dir, WORKER_BUNDLE_INPUTS);
  if (!existsSync(bundle) || !existsSync(record)) return null;
  try {
    const inputs = workerBundleInputsSchema.safeParse(JSON.parse(readFileSync(record, 'utf8')));
    if (!inputs.success) return null;
    return inputsDigest(root, inputs.data.files) === inputs.data.digest ? bundle : null;
  } catch {
    return null; // a source gone or unreadable: the sources decide
  }
}
