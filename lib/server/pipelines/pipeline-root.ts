// The I/O edge of path containment: PIPELINE_ROOT (default DATA_DIR/inbox) and directories
// configured under it, resolved with realpath so a symlink pointing outside is refused too.
import { mkdir, realpath } from 'node:fs/promises';
import path from 'node:path';
import { dataDir } from '../../../db/open';
import { checkRelativePath, isInside } from '../../pipelines/path-under-root';
import { ApiError } from '../http/api-error';

export function pipelineRoot(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.resolve(/*turbopackIgnore: true*/ env.PIPELINE_ROOT ?? path.join(dataDir(), 'inbox'));
}

export function pathEscape(message: string): ApiError {
  return new ApiError('pipeline.path_escape', 400, message);
}

/** The real path of `rel` under the root; refuses escapes lexically and through symlinks. */
export async function resolveUnderRoot(root: string, rel: string, opts: { create?: boolean } = {}): Promise<string> {
  const lexical = checkRelativePath(rel);
  if (lexical) throw pathEscape(lexical);
  await mkdir(root, { recursive: true });
  const realRoot = await realpath(root);
  const target = path.join(realRoot, rel);
  if (opts.create) await mkdir(target, { recursive: true });
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw new ApiError('pipeline.source_missing', 404, `The directory ${JSON.stringify(rel)} does not exist under the pipeline root.`);
  }
  if (!isInside(realRoot, real)) throw pathEscape(`${JSON.stringify(rel)} resolves outside the pipeline root`);
  return real;
}
