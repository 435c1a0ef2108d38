// The FIX fuzzing properties (issue 10), as named predicates over JSON-only cases so that a saved
// counterexample (test/reliability/fixtures/fuzz-regressions/*.json) replays through the same
// code. Everything runs the real parser (lib/fix fixParser) and the real validator compiled from
// the FIX default contracts. The oracles here are independent of lib/fix: they rebuild the
// expected CheckSum, BodyLength and canonical decimal from the bytes the test wrote.
import Decimal from 'decimal.js';
import fc from 'fast-check';
import { expect } from 'vitest';
import { defaultContractFor } from '../../lib/contracts/default-contract';
import { fixParser } from '../../lib/fix/fix-parser';
import { POSITION_COLUMNS, type ParseSummary, type ParserRow } from '../../lib/parsers/parser-types';
import { compileValidator, type CompiledValidator } from '../../lib/pipeline/compile-validator';
import { checkDecimal, checkFixFloat } from '../../lib/pipeline/lexical/decimal';
import { CheckFailure, VIOLATION_TYPES } from '../../lib/pipeline/violation';
import { fixMessage, SOH } from './malformed-files';

const ORDERS = 'fix_order_events';
const SESSIONS = 'fix_session_events';
const ERRORS = 'fix_parse_errors';

const validators: Record<string, CompiledValidator> = {
  [ORDERS]: compileValidator(defaultContractFor(fixParser, ORDERS)),
  [SESSIONS]: compileValidator(defaultContractFor(fixParser, SESSIONS)),
};

export interface Parsed {
  orders: ParserRow[];
  sessions: ParserRow[];
  errors: ParserRow[];
  summary: ParseSummary;
}

async function* chunks(bytes: Buffer, size: number): AsyncIterable<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, Math.min(bytes.length, i + size));
}

/** The real parser over the bytes, fed in chunks of `chunk` bytes. */
export async function parseBytes(bytes: Buffer, chunk: number): Promise<Parsed> {
  const gen = fixParser.parse(chunks(bytes, Math.max(1, chunk)), { batchSize: 7 });
  const out = { orders: [] as ParserRow[], sessions: [] as ParserRow[], errors: [] as ParserRow[] };
  for (;;) {
    const r = await gen.next();
    if (r.done) return { ...out, summary: r.value };
    const { output, rows } = r.value;
    if (output === ORDERS) out.orders.push(...rows);
    else if (output === SESSIONS) out.sessions.push(...rows);
    else if (output === ERRORS) out.errors.push(...rows);
    else throw new Error(`unexpected output ${output}`);
  }
}

const KNOWN_VIOLATIONS = new Set<string>(VIOLATION_TYPES);
const POSITIONS = new Set<string>(POSITION_COLUMNS);

/** The validator of each output accepts or refuses every row with known violation types; it never throws. */
function validateAll(p: Parsed): void {
  for (const [name, rows] of [[ORDERS, p.orders], [SESSIONS, p.sessions]] as const) {
    const v = validators[name];
    // Every row of an output has exactly the contract's columns (strict mode) plus the position columns.
    if (rows.length > 0) expect(v.checkShape(Object.keys(rows[0]).filter((k) => !POSITIONS.has(k))).ok, `${name} shape`).toBe(true);
    for (const row of rows) {
      const r = v.validate(row);
      if (!r.ok) for (const x of r.violations) expect(KNOWN_VIOLATIONS.has(x.violation_type), x.violation_type).toBe(true);
    }
  }
}

/** Invariants every parse must keep: counts add up, indexes are distinct, spans are inside the input. */
function checkAccounting(bytes: Buffer, p: Parsed): void {
  const s = p.summary;
  const msgTypes = (s.details as { msg_types: Record<string, number> }).msg_types;
  expect(Object.values(msgTypes).reduce((a, b) => a + b, 0), 'msg_types add up to messages').toBe(s.messages);
  const rows = [...p.orders, ...p.sessions];
  expect(rows.length, 'rows never exceed messages').toBeLessThanOrEqual(s.messages);
  expect(s.rowsPerOutput[ORDERS]).toBe(p.orders.length);
  expect(s.rowsPerOutput[SESSIONS]).toBe(p.sessions.length);
  expect(s.rowsPerOutput[ERRORS]).toBe(p.errors.length);
  expect(Object.values(s.parseErrors).reduce((a, b) => a + b, 0)).toBe(p.errors.length);
  const indexes = rows.map((r) => r.message_index as number);
  expect(new Set(indexes).size, 'message_index is unique').toBe(indexes.length);
  for (const i of indexes) expect(i >= 0 && i < s.messages, `message_index ${i} < ${s.messages}`).toBe(true);
  for (const row of [...rows, ...p.errors]) {
    const off = row.source_offset as number;
    const len = row.source_length as number;
    expect(off >= 0 && len >= 0 && off + len <= bytes.length, `span ${off}+${len} inside ${bytes.length} bytes`).toBe(true);
  }
  const integrity = (s.details as { integrity: Record<string, number> }).integrity;
  expect(integrity.body_length_mismatch).toBeGreaterThanOrEqual(rows.filter((r) => r.body_length_ok === false).length);
  expect(integrity.checksum_mismatch).toBeGreaterThanOrEqual(rows.filter((r) => r.checksum_present === true && r.checksum_ok === false).length);
  for (const r of rows) expect(() => JSON.parse(r.fields as string)).not.toThrow();
}

// ---- property 1: arbitrary bytes ------------------------------------------------------------

const FIX_PIECES = ['8=FIX.4.2', '8=FIX.4.4', '8=FIXT.1.1', SOH, '|', '^A', '9=', '10=', '35=D', '35=8', '35=A', '11=', '44=', '+1.5', '-0', '1e5', '=', '\n', '\r\n', '\r', '#', '453=2', '448=', '95=3', '96=', '0', '7', 'ABC', ' ', '\x00', '"', '\\u0001', '\\x01', ' | ', '\xff', '\x80'];

/** Latin1 text standing for bytes (JSON-safe, so a counterexample can be saved). */
export const arbitraryInput = fc.oneof(
  fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString('latin1')),
  fc.array(fc.oneof(fc.constantFrom(...FIX_PIECES), fc.string({ maxLength: 6 })), { maxLength: 80 }).map((parts) => Buffer.from(parts.join(''), 'latin1').toString('latin1')),
);

export async function arbitraryBytesProperty(input: string, chunk: number): Promise<void> {
  const bytes = Buffer.from(input, 'latin1');
  const p = await parseBytes(bytes, chunk);
  checkAccounting(bytes, p);
  validateAll(p);
  // Chunking never changes the result.
  const whole = await parseBytes(bytes, 1 << 20);
  expect(p.orders).toEqual(whole.orders);
  expect(p.sessions).toEqual(whole.sessions);
  expect(p.errors).toEqual(whole.errors);
}

// ---- valid messages ---------------------------------------------------------------------------

export interface OrderSpec {
  msgType: string;
  price: string;
  qty: string;
  side: string;
  symbol: string;
}

/** FIX float text as a FIX engine writes it: optional '-', digits, optional point (DECIMAL(24,8) range). */
export const fixFloat = fc
  .record({
    neg: fc.boolean(),
    int: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 14 }),
    point: fc.boolean(),
    frac: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 0, maxLength: 8 }),
  })
  .filter((r) => r.int.length + (r.point ? r.frac.length : 0) > 0)
  .map((r) => `${r.neg ? '-' : ''}${r.int}${r.point ? '.' + r.frac : ''}`);

export const orderSpec = fc.record({
  msgType: fc.constantFrom('D', '8', 'F', 'G', 'AE'),
  price: fixFloat,
  qty: fixFloat,
  side: fc.constantFrom('1', '2', '5'),
  symbol: fc.constantFrom('AAPL', 'VOD.L', 'SAP.DE', 'BRK/A'),
});

function orderFields(spec: OrderSpec, i: number): [number, string][] {
  return [
    [35, spec.msgType], [49, 'BUYSIDE'], [56, 'BROKER'], [34, String(i + 1)], [52, '20240301-10:00:00.123'],
    [11, `ORD-${i}`], [17, `EX-${i}`], [55, spec.symbol], [54, spec.side], [38, spec.qty], [40, '2'], [44, spec.price],
    [60, '20240301-10:00:00.123456'],
  ];
}

/** Canonical text of a decimal(p, s) value, computed with decimal.js (the oracle, not the lexer). */
export function canonicalDecimal(text: string, scale: number): string {
  const d = new Decimal(text);
  return d.isZero() ? new Decimal(0).toFixed(scale) : d.toFixed(scale);
}

// ---- property 2: mutated valid messages --------------------------------------------------------

/** Bytes a mutation writes: letters, space, '.', '-' (never a digit, '=' or delimiter, so it cannot forge `10=` or `8=FIX`). */
const MUTATION_CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz .-'];

export type Mutation =
  | { kind: 'sub'; at: number; ch: string }
  | { kind: 'ins'; at: number; text: string }
  | { kind: 'del_field'; k: number }
  | { kind: 'body_length'; value: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('sub' as const), at: fc.nat(), ch: fc.constantFrom(...MUTATION_CHARS) }),
  fc.record({ kind: fc.constant('ins' as const), at: fc.nat(), text: fc.string({ unit: fc.constantFrom(...MUTATION_CHARS), minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('del_field' as const), k: fc.nat() }),
  fc.record({ kind: fc.constant('body_length' as const), value: fc.nat({ max: 9999 }) }),
);

interface Built {
  text: string;
  /** null: not checked (no CheckSum field, so the message has no defined body end). */
  bodyLengthOk: boolean | null;
  checksumOk: boolean;
  checksumPresent: boolean;
}

/** A message with its mutations applied, and the flags an independent reading of its bytes gives. */
function buildMutated(fields: [number, string][], mutations: Mutation[]): Built {
  const original = fixMessage(fields);
  const head = '8=FIX.4.4' + SOH;
  const lenStart = head.length + 2;
  const lenEnd = original.indexOf(SOH, lenStart);
  let declared = original.slice(lenStart, lenEnd);
  const trailerAt = original.lastIndexOf('10=');
  let body = original.slice(lenEnd + 1, trailerAt);
  const trailer = original.slice(trailerAt);
  const checksum = Number(trailer.slice(3, 6));
  for (const m of mutations) {
    if (m.kind === 'sub' && body.length > 0) {
      const i = m.at % body.length;
      body = body.slice(0, i) + m.ch + body.slice(i + 1);
    } else if (m.kind === 'ins') {
      const i = m.at % (body.length + 1);
      body = body.slice(0, i) + m.text + body.slice(i);
    } else if (m.kind === 'del_field') {
      const parts = body.split(SOH).slice(0, -1);
      if (parts.length > 0) {
        parts.splice(m.k % parts.length, 1);
        body = parts.map((p) => p + SOH).join('');
      }
    } else if (m.kind === 'body_length') declared = String(m.value);
  }
  const framed = `${head}9=${declared}${SOH}${body}`;
  // A body whose last delimiter was overwritten swallows `10=…` into its last value: the message
  // then has no CheckSum field at all (found by this fuzzer: fix-mutated-messages-1402511930.json).
  if (body.length > 0 && !body.endsWith(SOH)) return { text: framed + trailer, bodyLengthOk: null, checksumOk: false, checksumPresent: false };
  let sum = 0;
  for (let i = 0; i < framed.length; i++) sum += framed.charCodeAt(i) & 0xff;
  return { text: framed + trailer, bodyLengthOk: Number(declared) === body.length, checksumOk: sum % 256 === checksum, checksumPresent: true };
}

export async function mutatedMessagesProperty(specs: OrderSpec[], target: number, mutations: Mutation[], chunk: number): Promise<void> {
  const t = target % specs.length;
  const built = specs.map((s, i) => (i === t ? buildMutated(orderFields(s, i), mutations) : { text: fixMessage(orderFields(s, i)), bodyLengthOk: true, checksumOk: true, checksumPresent: true }));
  const starts: number[] = [];
  let text = '';
  for (const b of built) {
    starts.push(text.length);
    text += b.text + '\n';
  }
  const bytes = Buffer.from(text, 'latin1');
  const p = await parseBytes(bytes, chunk);
  checkAccounting(bytes, p);
  validateAll(p);
  const rows = [...p.orders, ...p.sessions];
  const rowAt = new Map(rows.map((r) => [r.source_offset as number, r]));
  let lastIndex = -1;
  built.forEach((b, i) => {
    const start = starts[i];
    const row = rowAt.get(start);
    const what = `message ${i}${i === t ? ' (mutated)' : ''} at ${start}`;
    if (row) {
      expect(row.source_length, what).toBe(b.text.length);
      const flags = { body_length_ok: row.body_length_ok, checksum_ok: row.checksum_ok, checksum_present: row.checksum_present };
      const expected = { body_length_ok: b.bodyLengthOk ?? row.body_length_ok, checksum_ok: b.checksumOk, checksum_present: b.checksumPresent };
      expect(flags, `${what}: flags ${JSON.stringify(flags)}, expected ${JSON.stringify(expected)} for ${JSON.stringify(b.text)}`).toEqual(expected);
      expect(row.message_index as number, `${what}: message_index grows in file order`).toBeGreaterThan(lastIndex);
      lastIndex = row.message_index as number;
    }
    if (i !== t) {
      // An untouched message always comes out whole, with its exact decimals, and validates.
      expect(row, `${what} was dropped`).toBeDefined();
      expect({ price: row!.price, order_qty: row!.order_qty }, what).toEqual({ price: specs[i].price, order_qty: specs[i].qty });
      const v = validators[ORDERS].validate(row!);
      expect(v.ok ? null : v.violations, what).toBeNull();
      return;
    }
    if (row) return;
    // The mutated message has no row: a parse error must cover its bytes, or it was counted as a
    // message that goes to no output (its MsgType is neither an order nor a session message).
    const end = start + b.text.length;
    const overlapping = p.errors.filter((e) => (e.source_offset as number) < end && (e.source_offset as number) + (e.source_length as number) > start);
    if (overlapping.length > 0) return;
    expect(p.summary.messages, `${what}: neither a row, a parse error nor a counted message (silently dropped)`).toBe(specs.length);
  });
}

// ---- property 2b: byte-level mutations anywhere in a message -----------------------------------

/** Any byte, at any place of the message (head and trailer included): no oracle for the flags. */
export type ByteMutation = { kind: 'set'; at: number; byte: number } | { kind: 'insert'; at: number; bytes: string } | { kind: 'cut'; at: number; n: number };

export const byteMutation: fc.Arbitrary<ByteMutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.oneof(fc.constantFrom('=', SOH, '10=', '9=', '8=FIX.4.4', '\r', '|', '^A', '95=4', '453=3', '\x00', '#'), fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => Buffer.from(b).toString('latin1'))) }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
);

function applyBytes(text: string, mutations: ByteMutation[]): string {
  let t = text;
  for (const m of mutations) {
    if (m.kind === 'set' && t.length > 0) {
      const i = m.at % t.length;
      t = t.slice(0, i) + String.fromCharCode(m.byte) + t.slice(i + 1);
    } else if (m.kind === 'insert') {
      const i = m.at % (t.length + 1);
      t = t.slice(0, i) + m.bytes + t.slice(i);
    } else if (m.kind === 'cut' && t.length > 0) {
      const i = m.at % t.length;
      t = t.slice(0, i) + t.slice(i + m.n);
    }
  }
  return t;
}

/**
 * One message of a log damaged byte by byte anywhere: the parse keeps its invariants, and every
 * message that is not the damaged one nor right after it comes out whole (a damaged message may
 * legitimately reach into the next line, e.g. when a data-length field now announces more bytes).
 */
export async function byteMutationsProperty(specs: OrderSpec[], target: number, mutations: ByteMutation[], chunk: number): Promise<void> {
  const t = target % specs.length;
  const texts = specs.map((s, i) => (i === t ? applyBytes(fixMessage(orderFields(s, i)), mutations) : fixMessage(orderFields(s, i))));
  const starts: number[] = [];
  let text = '';
  for (const m of texts) {
    starts.push(text.length);
    text += m + '\n';
  }
  const bytes = Buffer.from(text, 'latin1');
  const p = await parseBytes(bytes, chunk);
  checkAccounting(bytes, p);
  validateAll(p);
  const whole = await parseBytes(bytes, 1 << 20);
  expect(p.orders).toEqual(whole.orders);
  expect(p.errors).toEqual(whole.errors);
  const rowAt = new Map([...p.orders, ...p.sessions].map((r) => [r.source_offset as number, r]));
  texts.forEach((m, i) => {
    if (i === t || i === t + 1) return;
    const row = rowAt.get(starts[i]);
    expect(row, `message ${i} at ${starts[i]} (damaged: ${t}) was dropped`).toBeDefined();
    expect({ len: row!.source_length, price: row!.price, checksum_ok: row!.checksum_ok, body_length_ok: row!.body_length_ok }).toEqual({ len: m.length, price: specs[i].price, checksum_ok: true, body_length_ok: true });
  });
}

// ---- property 2c: every value exact, across many messages (interning, JSON escaping, UTF-8) ---------

/** Named tags → their row column; values of these are interned or decoded on fast paths. */
const VALUE_COLUMNS: ReadonlyArray<readonly [number, string]> = [
  [49, 'sender_comp_id'], [56, 'target_comp_id'], [11, 'cl_ord_id'], [37, 'order_id'], [17, 'exec_id'], [55, 'symbol'], [1, 'account'],
  [15, 'currency'], [54, 'side'], [40, 'ord_type'], [59, 'time_in_force'], [39, 'ord_status'], [150, 'exec_type'], [30, 'last_mkt'], [58, 'text'],
];

/**
 * Short values from a small alphabet (so that many are equal or differ by one byte: what an
 * interning cache can confuse), with JSON specials, non-ASCII (written as UTF-8) and '='.
 */
export const fixValue = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'AB01'), minLength: 1, maxLength: 18 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ9 ."\\/=é€ü\u00a0'), minLength: 1, maxLength: 12 }) },
);

export async function valuesExactProperty(values: string[][], chunk: number): Promise<void> {
  const latin1OfUtf8 = (v: string) => Buffer.from(v, 'utf8').toString('latin1');
  const texts = values.map((row, i) => {
    const fields: [number, string][] = [[35, '8'], [34, String(i + 1)]];
    VALUE_COLUMNS.forEach(([tag], k) => fields.push([tag, row[k % row.length]]));
    return { fields, text: fixMessage(fields.map(([t, v]) => [t, latin1OfUtf8(v)])) };
  });
  const bytes = Buffer.from(texts.map((x) => x.text + '\n').join(''), 'latin1');
  const p = await parseBytes(bytes, chunk);
  expect(p.errors).toEqual([]);
  expect(p.orders).toHaveLength(values.length);
  p.orders.forEach((row, i) => {
    const expected = Object.fromEntries(VALUE_COLUMNS.map(([tag, col], k) => [col, values[i][k % values[i].length]]));
    const actual = Object.fromEntries(VALUE_COLUMNS.map(([, col]) => [col, row[col]]));
    expect(actual, `message ${i}`).toEqual(expected);
    const fields = JSON.parse(row.fields as string) as [number, string][];
    expect(fields.slice(2, -1), `message ${i}: fields JSON`).toEqual(texts[i].fields);
  });
}

// ---- property 2d: length-prefixed data fields ---------------------------------------------------

const DATA_PAIRS: ReadonlyArray<readonly [number, number]> = [[95, 96], [212, 213], [354, 355], [93, 89]];

/** Data bytes that would end or split a message anywhere else: SOH, line breaks, `10=`, `8=FIX`. */
export const dataValue = fc.string({ unit: fc.constantFrom('A', '1', '0', '=', SOH, '\n', '\r', '8=FIX.4.4', '10=000', '|', ' ', '"', '\\'), minLength: 1, maxLength: 20 });

/** A message with a data field (its length field first) among ordinary ones: read exactly, flags right, the rest intact. */
export async function dataFieldsProperty(pair: number, data: string, text: string, chunk: number): Promise<void> {
  const [lenTag, dataTag] = DATA_PAIRS[pair % DATA_PAIRS.length];
  const fields: [number, string][] = [[35, '8'], [11, 'ORD-D'], [lenTag, String(data.length)], [dataTag, data], [58, text], [55, 'AAPL']];
  const msg = fixMessage(fields);
  const next = fixMessage([[35, 'D'], [11, 'ORD-NEXT'], [44, '1.25']]);
  const bytes = Buffer.from(`${msg}\n${next}\n`, 'latin1');
  const p = await parseBytes(bytes, chunk);
  expect(p.errors).toEqual([]);
  expect(p.orders).toHaveLength(2);
  const [row, after] = p.orders;
  expect({ len: row.source_length, text: row.text, symbol: row.symbol, checksum_ok: row.checksum_ok, body_length_ok: row.body_length_ok }).toEqual({
    len: msg.length, text, symbol: 'AAPL', checksum_ok: true, body_length_ok: true,
  });
  expect((JSON.parse(row.fields as string) as [number, string][]).slice(2, -1)).toEqual(fields);
  expect({ off: after.source_offset, id: after.cl_ord_id, price: after.price }).toEqual({ off: msg.length + 1, id: 'ORD-NEXT', price: '1.25' });
}

// ---- property 3: exact decimal text -----------------------------------------------------------

export async function decimalTextProperty(specs: OrderSpec[], plus: boolean[], chunk: number): Promise<void> {
  const prices = specs.map((s, i) => (plus[i % plus.length] && !s.price.startsWith('-') ? '+' + s.price : s.price));
  const text = specs.map((s, i) => fixMessage(orderFields({ ...s, price: prices[i] }, i)) + '\n').join('');
  const p = await parseBytes(Buffer.from(text, 'latin1'), chunk);
  expect(p.orders).toHaveLength(specs.length);
  expect(p.errors).toEqual([]);
  p.orders.forEach((row, i) => {
    // The parser keeps the exact source text…
    expect({ price: row.price, order_qty: row.order_qty }).toEqual({ price: prices[i], order_qty: specs[i].qty });
    // …and the validator gives the exact canonical value, or refuses a '+' (not a FIX float).
    const v = validators[ORDERS].validate(row);
    if (prices[i].startsWith('+')) {
      expect(v.ok).toBe(false);
      if (!v.ok) expect(v.violations.map((x) => [x.column, x.violation_type])).toEqual([['price', 'format_invalid']]);
      return;
    }
    expect(v.ok ? null : v.violations, `row ${i}`).toBeNull();
    if (v.ok) {
      expect(v.values.price).toBe(canonicalDecimal(prices[i], 10));
      expect(v.values.order_qty).toBe(canonicalDecimal(specs[i].qty, 8));
    }
  });
}

// ---- property 4: the fix_float lexical check ---------------------------------------------------

const FIX_FLOAT = /^-?(\d+\.?\d*|\.\d+)$/;

function oracle(text: string, precision: number, scale: number): { ok: string } | { fail: string } {
  if (text.startsWith('+')) return { fail: 'format_invalid' };
  if (!FIX_FLOAT.test(text)) return { fail: 'type_mismatch' };
  const [intPart, frac = ''] = text.replace('-', '').split('.');
  if (frac.length > scale || intPart.replace(/^0+/, '').length > precision - scale) return { fail: 'precision_exceeded' };
  const d = new Decimal(text);
  return { ok: d.isZero() ? new Decimal(0).toFixed(scale) : d.toFixed(scale) };
}

/** The fix_float check against a regex + decimal.js oracle, for one text. */
export async function fixFloatProperty(text: string): Promise<void> {
  const got = checkFixFloat(text, 24, 10);
  const actual = got instanceof CheckFailure ? { fail: got.type } : { ok: got };
  expect(actual, JSON.stringify(text)).toEqual(oracle(text, 24, 10));
  // Without the format, the general decimal rule reads the same text with or without a '+'.
  if (text.startsWith('+') && !text.startsWith('+-') && !text.startsWith('++')) {
    const general = checkDecimal(text, 24, 10);
    const unsigned = checkDecimal(text.slice(1), 24, 10);
    expect(general instanceof CheckFailure ? general.type : general).toEqual(unsigned instanceof CheckFailure ? unsigned.type : unsigned);
  }
}

/** Every property by name: the replay of saved fixtures looks them up here. */
export const PROPERTIES: Record<string, (...args: never[]) => Promise<void>> = {
  'fix-arbitrary-bytes': arbitraryBytesProperty as (...args: never[]) => Promise<void>,
  'fix-mutated-messages': mutatedMessagesProperty as (...args: never[]) => Promise<void>,
  'fix-decimal-text': decimalTextProperty as (...args: never[]) => Promise<void>,
  'fix-data-fields': dataFieldsProperty as (...args: never[]) => Promise<void>,
  'fix-values-exact': valuesExactProperty as (...args: never[]) => Promise<void>,
  'fix-byte-mutations': byteMutationsProperty as (...args: never[]) => Promise<void>,
  'fix-float-lexical': fixFloatProperty as (...args: never[]) => Promise<void>,
};
