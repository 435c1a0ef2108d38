// RFC 4180 quoting of one record's bytes. csv-parse runs with `relax_quotes` so that a broken
// quote does not swallow the records after it; this check then decides whether the record was
// well quoted: a field is either unquoted and free of '"', or enclosed in '"' with inner quotes
// doubled and the closing quote followed by the delimiter or the end of the record.

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** Length of the record without its terminator (CRLF, LF or CR). */
function contentLength(bytes: Uint8Array): number {
  let n = bytes.length;
  if (n > 0 && bytes[n - 1] === LF) n--;
  if (n > 0 && bytes[n - 1] === CR) n--;
  return n;
}

/** Returns null when the record is well quoted, else a short description of the first problem. */
export function checkQuoting(record: Uint8Array, delimiter: number): string | null {
  const n = contentLength(record);
  let i = 0;
  let field = 1;
  for (;;) {
    if (i < n && record[i] === QUOTE) {
      i++;
      for (;;) {
        if (i >= n) return `field ${field}: quote not closed`;
        if (record[i] === QUOTE) {
          if (i + 1 < n && record[i + 1] === QUOTE) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      if (i === n) return null;
      if (record[i] !== delimiter) return `field ${field}: text after the closing quote`;
    } else {
      while (i < n && record[i] !== delimiter) {
        if (record[i] === QUOTE) return `field ${field}: quote inside an unquoted field`;
        i++;
      }
      if (i === n) return null;
    }
    i++; // the delimiter
    field++;
  }
}
