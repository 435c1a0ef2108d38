// Decides from the first bytes of an upload (decompressed) whether it can be the kind claimed.
// Pure: bytes in, a verdict with a stable code out. Only the head is inspected; a parser deals
// with what comes later.

export type UploadKind = 'fix' | 'confirmations';
export const UPLOAD_KINDS: readonly UploadKind[] = ['fix', 'confirmations'];

/** How much of the head is inspected. */
export const SNIFF_BYTES = 64 * 1024;

export type SniffVerdict =
  | { ok: true }
  | { ok: false; code: 'upload.empty' | 'upload.utf16' | 'upload.binary' | 'upload.not_text' | 'upload.not_fix' | 'upload.archive_unsupported'; message: string };

const FIX_BEGIN = [0x38, 0x3d, 0x46, 0x49, 0x58]; // "8=FIX"

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

function contains(head: Uint8Array, needle: number[]): boolean {
  outer: for (let i = 0; i + needle.length <= head.length; i++) {
    for (let j = 0; j < needle.length; j++) if (head[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** UTF-16 with a BOM, or ASCII-range UTF-16 without one (a NUL in most odd or most even positions). */
function looksUtf16(head: Uint8Array): boolean {
  if (startsWith(head, [0xff, 0xfe]) || startsWith(head, [0xfe, 0xff])) return true;
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 2) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenNul++;
    if (head[2 * i + 1] === 0) oddNul++;
  }
  return Math.max(evenNul, oddNul) >= pairs * 0.3 && Math.min(evenNul, oddNul) <= pairs * 0.05;
}

/** Valid UTF-8, allowing a sequence cut at the end of the head. */
function isUtf8(head: Uint8Array, complete: boolean): boolean {
  let end = head.length;
  if (!complete) {
    // Step back over a trailing partial sequence (at most 3 continuation bytes and its lead byte).
    let k = end - 1;
    while (k >= 0 && k > end - 4 && (head[k] & 0xc0) === 0x80) k--;
    if (k >= 0 && head[k] >= 0xc0) {
      const need = head[k] >= 0xf0 ? 4 : head[k] >= 0xe0 ? 3 : 2;
      if (end - k < need) end = k;
    }
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/**
 * `complete` says the head is the whole file (smaller than SNIFF_BYTES).
 * Order: emptiness, archives, UTF-16, NUL-heavy binary, then the kind's own rule.
 */
export function sniffContent(head: Uint8Array, kind: UploadKind, complete: boolean): SniffVerdict {
  if (head.length === 0) return { ok: false, code: 'upload.empty', message: 'The file is empty.' };
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return { ok: false, code: 'upload.archive_unsupported', message: 'ZIP archives are not accepted; upload the file itself or a .gz.' };
  }
  if (looksUtf16(head)) return { ok: false, code: 'upload.utf16', message: 'The file is UTF-16; save it as UTF-8 or ASCII and upload again.' };
  let nul = 0;
  let control = 0;
  for (const b of head) {
    if (b === 0) nul++;
    // Control characters other than tab, LF, CR, FF and (for FIX) SOH.
    else if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x01) || b === 0x7f) control++;
  }
  if (nul > head.length / 1000) return { ok: false, code: 'upload.binary', message: 'The file contains NUL bytes: it looks binary, not a text log.' };
  if (kind === 'fix') {
    if (!contains(head, FIX_BEGIN)) return { ok: false, code: 'upload.not_fix', message: 'No FIX message (8=FIX…) near the start of the file.' };
    return { ok: true };
  }
  let soh = 0;
  for (const b of head) if (b === 0x01) soh++;
  if (control + soh > head.length / 100 || !isUtf8(head, complete)) {
    return { ok: false, code: 'upload.not_text', message: 'A confirmations file must be UTF-8 text (CSV).' };
  }
  return { ok: true };
}
