// The {id}/{v} of the contract version routes, read with zod: a bad version number is a 400.
import { z } from 'zod';

export type VersionCtx = { params: Promise<{ id: string; v: string }> };

const params = z.object({ id: z.string().min(1).max(200), v: z.coerce.number().int().min(1).max(1_000_000) });

export async function versionParams(ctx: VersionCtx): Promise<{ id: string; version: number }> {
  const p = params.parse(await ctx.params);
  return { id: p.id, version: p.v };
}
