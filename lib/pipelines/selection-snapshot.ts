// The selection snapshot of a run: every selected file (path relative to the source dir, size,
// mtime, sha256) and one hash over them, in a stable order (by path), so the same files give the
// same hash whatever order the directory listing returned, and any change to one file changes it.
import { createHash } from 'node:crypto';

export interface SnapshotFile {
  path: string;
  size: number;
  /** Modification time, ISO-8601 UTC with milliseconds. */
  mtime: string;
  sha256: string;
}

export interface SelectionSnapshot {
  files: SnapshotFile[];
  hash: string;
}

export function buildSnapshot(files: readonly SnapshotFile[]): SelectionSnapshot {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const h = createHash('sha256');
  for (const f of sorted) h.update(`${JSON.stringify([f.path, f.size, f.mtime, f.sha256])}\n`);
  return { files: sorted, hash: h.digest('hex') };
}

/** File sha256 + parser version + contract hash: the same bytes under the same rules are processed once. */
export function materialisationKey(input: { sha256: string; parserId: string; parserVersion: string; contractHash: string }): string {
  return createHash('sha256')
    .update(`${input.sha256}:${input.parserId}:${input.parserVersion}:${input.contractHash}`)
    .digest('hex');
}

/** The largest mtime of a snapshot (ISO), or the previous watermark if larger. */
export function nextWatermark(previous: string | null, files: readonly SnapshotFile[]): string | null {
  let w = previous;
  for (const f of files) if (w === null || Date.parse(f.mtime) > Date.parse(w)) w = f.mtime;
  return w;
}
