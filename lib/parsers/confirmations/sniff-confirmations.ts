import { CONFIRMATIONS_COLUMNS } from './confirmations-intent';
import { detectDelimiter, findHeaderLine } from './detect-delimiter';
import { normaliseHeaderName } from './normalise-header';

// How much the first bytes of a file look like a confirmations CSV, in [0, 1]:
// 0 for binary data or a FIX log; 0.1 for text whose first line has no delimiter; 0.4 for a
// delimited first line; up to 0.95 as the header names more of the documented columns.

const KNOWN = new Set(CONFIRMATIONS_COLUMNS.map((c) => c.name));
const FIX_MARKER = [0x38, 0x3d, 0x46, 0x49, 0x58]; // "8=FIX"

export function containsFixMarker(head: Uint8Array): boolean {
  outer: for (let i = 0; i + FIX_MARKER.length <= head.length; i++) {
    for (let j = 0; j < FIX_MARKER.length; j++) if (head[i + j] !== FIX_MARKER[j]) continue outer;
    return true;
  }
  return false;
}

/** Text: no NUL bytes, and valid UTF-8 apart from a character cut at the end of the head. */
export function looksLikeText(head: Uint8Array): boolean {
  if (head.length === 0 || head.includes(0)) return false;
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

export function sniffConfirmations(head: Uint8Array): number {
  if (containsFixMarker(head) || !looksLikeText(head)) return 0;
  const line = findHeaderLine(head, true);
  if (line === null || line.end === line.start) return 0;
  const headerBytes = head.subarray(line.start, line.end);
  const delimiter = detectDelimiter(headerBytes);
  const text = new TextDecoder().decode(headerBytes);
  if (!text.includes(delimiter)) return 0.1;
  const names = text.split(delimiter).map((cell) => normaliseHeaderName(cell.replace(/^"|"$/g, '')));
  const known = names.filter((n) => KNOWN.has(n)).length;
  return Math.min(0.95, 0.4 + 0.15 * known);
}
