// Encodes one FIX tag=value message with a correct BodyLength (9) and CheckSum (10).
// Invariants: values are ASCII without SOH (the generator never writes data fields), so the
// byte length of the body equals its string length and the checksum is the sum of char codes.

export const SOH = '\x01';

export type FixField = readonly [tag: number, value: string];

/** tag=value<SOH> for each field, in the given order. */
export function fieldsText(fields: readonly FixField[]): string {
  let text = '';
  for (const [tag, value] of fields) text += `${tag}=${value}${SOH}`;
  return text;
}

/** Sum of the char codes of an ASCII text (its bytes), for CheckSum (10). */
export function byteSum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}

/**
 * A whole message from the encoded fields after BodyLength (header from 35 on, then body).
 * BodyLength counts the bytes after the SOH that ends 9=… up to and including the SOH before 10=.
 * `bodySum` may pass the precomputed byte sum of `body` (bodies are planned once, summed once).
 */
export function encodeFixMessage(beginString: string, header: string, body = '', bodySum = byteSum(body)): string {
  const head = `8=${beginString}${SOH}9=${header.length + body.length}${SOH}`;
  const sum = byteSum(head) + byteSum(header) + bodySum;
  return `${head}${header}${body}10=${String(sum % 256).padStart(3, '0')}${SOH}`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

let cachedSecond = NaN;
let cachedPrefix = '';

/** UTCTimestamp with milliseconds: YYYYMMDD-HH:MM:SS.sss (the text up to the second is cached: messages come in bursts). */
export function fixUtcTimestamp(epochMs: number): string {
  const second = Math.floor(epochMs / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedSecond = second;
    cachedPrefix =
      `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}-` +
      `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.`;
  }
  return cachedPrefix + pad(epochMs - second * 1000, 3);
}

/** ISO-8601 with a fixed UTC offset such as '-04:00' (the counterparty writes New York local time). */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}
