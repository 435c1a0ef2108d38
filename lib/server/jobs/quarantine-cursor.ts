// The quarantine API's pagination token: opaque to clients (base64url of a small JSON), bound to
// the query it was issued for, so a cursor cannot be replayed against another output or filter.
import { z } from 'zod';

const cursorSchema = z.object({ v: z.literal(1), r: z.number().int().min(0), o: z.string(), t: z.string().nullable() }).strict();

export interface QuarantineCursor {
  afterRow: number;
  output: string;
  violationType: string | null;
}

export function encodeQuarantineCursor(c: QuarantineCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, r: c.afterRow, o: c.output, t: c.violationType }), 'utf8').toString('base64url');
}

/** null when the token is malformed or was issued for another query. */
export function decodeQuarantineCursor(token: string, output: string, violationType: string | null): QuarantineCursor | null {
  if (token.length > 512 || !/^[A-Za-z0-9_-]+$/.test(token)) return null;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  const parsed = cursorSchema.safeParse(value);
  if (!parsed.success || parsed.data.o !== output || parsed.data.t !== violationType) return null;
  return { afterRow: parsed.data.r, output, violationType };
}
