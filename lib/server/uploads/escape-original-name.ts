// The file name a client gave is metadata for people, never a path: it is kept only in this
// escaped form (control, format and bidi characters and backslashes written as escapes), so it
// cannot break a log line, spoof its extension with a right-to-left override, or be mistaken
// for a location on disk. Files are stored under their sha256.

export const MAX_ORIGINAL_NAME_BYTES = 1024;

export function escapeOriginalName(raw: string): string {
  let out = '';
  for (const ch of raw) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0xfeff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += `\\u{${cp.toString(16).padStart(4, '0')}}`;
    } else out += ch;
  }
  return out;
}

export function isGzipName(raw: string): boolean {
  return /\.gz$/i.test(raw);
}
