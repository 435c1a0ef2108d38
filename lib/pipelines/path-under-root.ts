// Lexical containment of a configured path in PIPELINE_ROOT. Symlinks are checked at the I/O
// edge (lib/server/pipelines/resolve-under-root.ts) with realpath; this refuses what is wrong
// before touching the file system: absolute paths, drive letters, `..` segments, NUL bytes.
import path from 'node:path';

/** A reason the relative path may escape the root, or null when it stays inside. */
export function checkRelativePath(rel: string): string | null {
  if (rel.includes('\0')) return 'the path contains a NUL byte';
  if (path.isAbsolute(rel) || /^[A-Za-z]:/.test(rel) || rel.startsWith('\\')) return `${JSON.stringify(rel)} is absolute`;
  const segments = rel.split(/[\\/]+/);
  if (segments.includes('..')) return `${JSON.stringify(rel)} leaves the root through ..`;
  return null;
}

/** True when `target` is `root` or inside it (both absolute, already normalised/realpath'd). */
export function isInside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
