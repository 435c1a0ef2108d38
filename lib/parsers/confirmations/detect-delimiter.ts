// Delimiter detection from the header line: the candidate (',' ';' tab) that occurs most often
// outside quotes wins; ties go to the earlier candidate in that list, and a header with none of
// them is a one-column file read with ','.

export const CSV_DELIMITERS = [',', ';', '\t'] as const;
export type CsvDelimiter = (typeof CSV_DELIMITERS)[number];

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

export function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2] ? 3 : 0;
}

/**
 * The byte range of the header line: the first line with content (after an optional BOM and
 * blank lines), up to its terminator outside quotes. Returns null while the terminator has not
 * been seen and more input may come (`final` false).
 */
export function findHeaderLine(bytes: Uint8Array, final: boolean): { start: number; end: number } | null {
  let start = bomLength(bytes);
  while (start < bytes.length && (bytes[start] === CR || bytes[start] === LF)) start++;
  let quoted = false;
  for (let i = start; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === QUOTE) quoted = !quoted;
    else if (!quoted && (b === CR || b === LF)) return { start, end: i };
  }
  return final ? { start, end: bytes.length } : null;
}

export function detectDelimiter(line: Uint8Array): CsvDelimiter {
  const counts = CSV_DELIMITERS.map(() => 0);
  const codes = CSV_DELIMITERS.map((d) => d.charCodeAt(0));
  let quoted = false;
  for (const b of line) {
    if (b === QUOTE) {
      quoted = !quoted;
      continue;
    }
    if (quoted) continue;
    const k = codes.indexOf(b);
    if (k >= 0) counts[k]++;
  }
  let best = 0;
  for (let k = 1; k < counts.length; k++) if (counts[k] > counts[best]) best = k;
  return CSV_DELIMITERS[best];
}
