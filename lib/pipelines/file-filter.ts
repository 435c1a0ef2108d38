// Structured selection filters (no SQL): a glob on the path relative to the source directory
// (`*` within a segment, `**` across segments, `?` one character), an extension, and the mtime window.

export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        i++;
        if (glob[i + 1] === '/') {
          i++;
          re += '(?:.*/)?';
        } else re += '.*';
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

export interface FileFilter {
  glob?: string;
  extension?: string;
}

/** Whether a file (path relative to the source dir, '/'-separated) passes the name filters. */
export function matchesName(relPath: string, filter: FileFilter): boolean {
  if (filter.glob && !globToRegExp(filter.glob).test(relPath)) return false;
  if (filter.extension) {
    const ext = filter.extension.startsWith('.') ? filter.extension : `.${filter.extension}`;
    if (!relPath.toLowerCase().endsWith(ext.toLowerCase())) return false;
  }
  return true;
}

export function inWindow(mtimeMs: number, window: { fromMs: number | null; toMs: number }): boolean {
  return mtimeMs < window.toMs && (window.fromMs === null || mtimeMs >= window.fromMs);
}
