// `node --import tsx scripts/build-worker-bundle.ts [OUT_DIR]` (run by `npm run build` and by
// `npm start` after its build): bundles worker/main.ts and what it imports into one ES module,
// OUT_DIR/main.mjs (default .next/workbench-worker), and records the repository files it was built
// from in OUT_DIR/inputs.json. The dispatcher starts workers from it only while those files are
// unchanged (lib/server/jobs/worker-bundle.ts); DuckDB's native packages stay outside the bundle.
import { build } from 'esbuild';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  defaultWorkerBundleDir,
  inputsDigest,
  WORKER_BUNDLE_FILE,
  WORKER_BUNDLE_INPUTS,
  type WorkerBundleInputs,
} from '../lib/server/jobs/worker-bundle';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Builds the bundle into outDir; returns the recorded inputs. The files appear only once complete. */
export async function buildWorkerBundle(outDir: string, root = ROOT): Promise<WorkerBundleInputs> {
  mkdirSync(outDir, { recursive: true });
  const tmp = path.join(outDir, `.${WORKER_BUNDLE_FILE}.${process.pid}.tmp`);
  try {
    const result = await build({
      entryPoints: [path.join(root, 'worker', 'main.ts')],
      absWorkingDir: root,
      outfile: tmp,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Native addons (and their loader) are loaded from node_modules at run time.
      external: ['@duckdb/node-api', '@duckdb/node-bindings'],
      // CommonJS packages in an ES module bundle need a require of their own.
      banner: { js: "import { createRequire as __workbenchCreateRequire } from 'node:module'; const require = __workbenchCreateRequire(import.meta.url);" },
      // The worker reports whether it runs from the bundle (worker/main.ts).
      define: { __WORKBENCH_WORKER_BUNDLE__: 'true' },
      metafile: true,
      logLevel: 'warning',
      write: true,
    });
    // Repository files only: the packages' versions are pinned by package-lock.json, which the
    // digest covers.
    const files = Object.keys(result.metafile.inputs)
      .filter((f) => !f.split('/').includes('node_modules'))
      .map((f) => path.relative(root, path.resolve(root, f)).split(path.sep).join('/'))
      .sort();
    const inputs: WorkerBundleInputs = { files, digest: inputsDigest(root, files) };
    const record = path.join(outDir, WORKER_BUNDLE_INPUTS);
    // The record goes last: a bundle without its record is never used.
    rmSync(record, { force: true });
    renameSync(tmp, path.join(outDir, WORKER_BUNDLE_FILE));
    writeFileSync(`${record}.tmp`, JSON.stringify(inputs, null, 1));
    renameSync(`${record}.tmp`, record);
    return inputs;
  } finally {
    rmSync(tmp, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outDir = path.resolve(process.argv[2] ?? defaultWorkerBundleDir(ROOT));
  const t0 = Date.now();
  buildWorkerBundle(outDir)
    .then((inputs) => console.log(`worker bundle: ${path.relative(ROOT, outDir) || outDir}/${WORKER_BUNDLE_FILE} from ${inputs.files.length} files in ${Date.now() - t0} ms`))
    .catch((e: unknown) => {
      console.error(`worker bundle: build failed: ${(e as Error).message}`);
      process.exit(1);
    });
}
