// Lists the source directory, applies the name filters and the mtime window, and hashes each
// selected file (streamed). Symlinked files or directories resolving outside the root are
// skipped (never read); the walk does not follow directory symlinks at all.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { inWindow, matchesName } from '../../pipelines/file-filter';
import { isInside } from '../../pipelines/path-under-root';
import { selectionWindow } from '../../pipelines/logical-date';
import type { PipelineDefinition } from '../../pipelines/pipeline-definition';
import type { SnapshotFile } from '../../pipelines/selection-snapshot';

export interface SelectedFile extends SnapshotFile {
  absolutePath: string;
  mtimeMs: number;
}

export async function sha256OfFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

async function walk(dir: string, prefix: string, out: { abs: string; rel: string }[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue; // hidden and partially written (.part) files
    const abs = path.join(dir, e.name);
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) await walk(abs, rel, out);
    else if (e.isFile() || e.isSymbolicLink()) out.push({ abs, rel });
  }
}

export async function selectFiles(realRoot: string, sourceDir: string, def: PipelineDefinition, logicalDate: string): Promise<SelectedFile[]> {
  const listed: { abs: string; rel: string }[] = [];
  await walk(sourceDir, '', listed);
  const window = selectionWindow(logicalDate, def.filters.since);
  const out: SelectedFile[] = [];
  for (const f of listed) {
    if (!matchesName(f.rel, def.filters)) continue;
    const real = await realpath(f.abs).catch(() => null);
    if (!real || !isInside(realRoot, real)) continue;
    const st = await stat(real);
    if (!st.isFile() || !inWindow(st.mtimeMs, window)) continue;
    out.push({
      absolutePath: real,
      path: f.rel,
      size: st.size,
      mtimeMs: st.mtimeMs,
      mtime: new Date(Math.floor(st.mtimeMs)).toISOString(),
      sha256: await sha256OfFile(real),
    });
  }
  return out;
}
