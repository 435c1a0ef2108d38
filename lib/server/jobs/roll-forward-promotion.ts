// The file half of promotion: staging/<job>/<output>/ → warehouse/<output>/job=<job>/.
// Runs only AFTER the promotion transaction committed (and again at start-up for any promoted
// job whose staging directory is still there), so it is idempotent: an output directory already
// in the warehouse is left as it is, one still in staging is renamed. Each rename is atomic, so a
// reader of warehouse/<output>/ never sees half a job's files of that output.
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { stagingDirFor, warehouseDirFor } from './job-paths';

export async function rollForwardPromotion(dataDir: string, jobId: string): Promise<void> {
  const staging = stagingDirFor(dataDir, jobId);
  if (!existsSync(staging)) return;
  for (const entry of await readdir(staging, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dest = warehouseDirFor(dataDir, entry.name, jobId);
    if (existsSync(dest)) continue;
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(path.join(staging, entry.name), dest);
  }
  await rm(staging, { recursive: true, force: true });
}

/** A staging directory that will never be promoted (failed attempt, failed job, abandoned run). */
export async function discardStaging(dataDir: string, jobId: string): Promise<void> {
  await rm(stagingDirFor(dataDir, jobId), { recursive: true, force: true });
}
