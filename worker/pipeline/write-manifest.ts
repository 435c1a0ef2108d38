// manifest.json in the staging directory, written under a temporary name and renamed, so a
// reader (the dispatcher after a crash) sees either no manifest or a complete one.
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const MANIFEST_FILE = 'manifest.json';

export async function writeManifest(stagingDir: string, manifest: unknown): Promise<string> {
  const target = path.join(stagingDir, MANIFEST_FILE);
  const tmp = `${target}.tmp`;
  await writeFile(tmp, JSON.stringify(manifest, null, 2) + '\n', 'utf8');
  await rename(tmp, target);
  return target;
}
