import { ORDER_MSG_TYPES, SESSION_MSG_TYPES } from './fix-lifecycle';
import type { FixScanner } from './fix-scanner';

// MsgType values of one or two bytes (all standard ones) as small integer codes, so routing,
// counting and the msg_type string need no hashing of a fresh string per message.
// Longer or non-ASCII values get code -1 and take the slow path.

export const MSG_TYPE_CODES = 256 + 65536;
export const ROUTE_NONE = 0;
export const ROUTE_SESSION = 1;
export const ROUTE_ORDER = 2;

function codeOfText(type: string): number {
  if (type.length === 1) return type.charCodeAt(0);
  if (type.length === 2) return 256 + ((type.charCodeAt(0) << 8) | type.charCodeAt(1));
  return -1;
}

/** The code of the scanner's current MsgType value, or -1. */
export function msgTypeCode(s: FixScanner): number {
  const start = s.valueStart[s.msgTypeIndex];
  const len = s.valueEnd[s.msgTypeIndex] - start;
  const b = s.buf;
  if (len === 1) return b[start];
  if (len === 2) return 256 + ((b[start] << 8) | b[start + 1]);
  return -1;
}

/** code → output route for the message types with a fixed route. */
export const MSG_TYPE_ROUTE: Uint8Array = (() => {
  const t = new Uint8Array(MSG_TYPE_CODES);
  for (const type of SESSION_MSG_TYPES) t[codeOfText(type)] = ROUTE_SESSION;
  for (const type of ORDER_MSG_TYPES) t[codeOfText(type)] = ROUTE_ORDER;
  return t;
})();

/** Route of a MsgType given as text (for the slow path). */
export function routeOfText(type: string): number {
  if (SESSION_MSG_TYPES.has(type)) return ROUTE_SESSION;
  return ORDER_MSG_TYPES.has(type) ? ROUTE_ORDER : ROUTE_NONE;
}
