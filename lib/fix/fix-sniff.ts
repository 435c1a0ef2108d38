// How likely the first bytes of a file are a FIX log: a BeginString followed by a delimiter
// is near-certain; `8=FIX` alone is likely; tag=value fields with SOH and no BeginString are possible.

type FastBuffer = Buffer & { latin1Slice(start: number, end: number): string };

export function sniffFix(head: Uint8Array): number {
  const buf = (Buffer.isBuffer(head) ? head : Buffer.from(head.buffer, head.byteOffset, head.byteLength)) as FastBuffer;
  const text = buf.latin1Slice(0, Math.min(buf.length, 64 * 1024));
  let at = text.indexOf('8=FIX');
  while (at >= 0) {
    const prev = at > 0 ? text.charCodeAt(at - 1) : 10;
    if (prev < 48 || prev > 57) {
      let i = at + 5;
      while (i < text.length && /[A-Za-z0-9.]/.test(text[i])) i++;
      const next = text.slice(i, i + 6);
      if (['\x01', '|', '^A', '\\u0001', '\\x01', ' | '].some((d) => next.startsWith(d))) return 0.95;
      return 0.6;
    }
    at = text.indexOf('8=FIX', at + 1);
  }
  return /(^|\x01)35=[^\x01]*\x01/.test(text) ? 0.3 : 0;
}
