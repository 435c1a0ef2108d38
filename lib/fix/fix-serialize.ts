// Builds FIX messages from fields, with BodyLength (9) and CheckSum (10) computed over SOH
// bytes whatever delimiter is written. For tests, benchmarks and demo data; values are
// written as given (latin1 bytes), so a data field may hold SOH.

import type { FixDelimiterName } from './fix-scanner';

export type { FixDelimiterName };
export type FixField = readonly [number, string];

const DELIMITER_TEXT: Record<FixDelimiterName, string> = {
  SOH: '\x01', '|': '|', '^A': '^A', '\\u0001': '\\u0001', '\\x01': '\\x01', ' | ': ' | ',
};

export interface SerializeOptions {
  delimiter?: FixDelimiterName;
  /** Write this BodyLength instead of the right one (tests of wrong lengths). */
  bodyLength?: string;
  /** Write this CheckSum instead of the right one. */
  checksum?: string;
}

/** The message text: `8=<beginString>` `9=<len>` then the fields (without 8, 9, 10) then `10=<sum>`. */
export function serializeFixMessage(beginString: string, fields: readonly FixField[], options: SerializeOptions = {}): string {
  const body = fields.map(([tag, value]) => `${tag}=${value}\x01`).join('');
  const bodyLength = options.bodyLength ?? String(Buffer.byteLength(body, 'latin1'));
  const head = `8=${beginString}\x019=${bodyLength}\x01`;
  let sum = 0;
  const text = head + body;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i) & 0xff;
  const checksum = options.checksum ?? String(sum % 256).padStart(3, '0');
  const d = DELIMITER_TEXT[options.delimiter ?? 'SOH'];
  // Only field separators change with the delimiter; SOH inside values (data fields) stays.
  return `8=${beginString}${d}9=${bodyLength}${d}${fields.map(([t, v]) => `${t}=${v}${d}`).join('')}10=${checksum}${d}`;
}
