// A seeded generator of hostile and malformed upload files, grouped in classes. Each class says
// how the file is sent (kind, file name) and what must happen to it: refused at upload with a
// stable code and a 4xx status, or accepted and then handled by the parser and pipeline with a
// stable outcome (a parse error code, quarantined rows, a FAILED status with its reason).
// Deterministic: the same seed gives the same bytes.
import { gzipSync } from 'node:zlib';

export type Rng = () => number;

/** mulberry32: small, fast, seedable. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const int = (r: Rng, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

export const SOH = '\x01';

/** One FIX message with a correct BodyLength (9) and CheckSum (10) unless told otherwise. */
export function fixMessage(fields: [number | string, string][], opts: { begin?: string; bodyLength?: string; checksum?: string } = {}): string {
  const body = fields.map(([t, v]) => `${t}=${v}${SOH}`).join('');
  const head = `8=${opts.begin ?? 'FIX.4.4'}${SOH}9=${opts.bodyLength ?? String(Buffer.byteLength(body, 'latin1'))}${SOH}`;
  let sum = 0;
  for (const b of Buffer.from(head + body, 'latin1')) sum += b;
  return `${head}${body}10=${opts.checksum ?? String(sum % 256).padStart(3, '0')}${SOH}`;
}

function timestamp(r: Rng): string {
  return `202403${String(int(r, 1, 28)).padStart(2, '0')}-${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}.${String(int(r, 0, 999)).padStart(3, '0')}`;
}

/** The fields of a plausible NewOrderSingle; `over` replaces or appends fields. */
function orderFields(r: Rng, seq: number, over: Partial<Record<number, string>> = {}): [number, string][] {
  const base: Record<number, string> = {
    35: 'D', 49: 'BUYSIDE', 56: 'BROKER', 34: String(seq), 52: timestamp(r), 11: `ORD-${seq}-${int(r, 1, 99999)}`,
    55: pick(r, ['AAPL', 'MSFT', 'VOD.L', 'SAP.DE']), 54: pick(r, ['1', '2']), 38: String(int(r, 1, 5000)), 40: '2',
    44: `${int(r, 1, 999)}.${String(int(r, 0, 9999)).padStart(4, '0')}`, 60: timestamp(r),
  };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) base[Number(k)] = v;
  return Object.entries(base).map(([k, v]) => [Number(k), v]);
}

function fixLog(r: Rng, n: number, over: (seq: number) => Partial<Record<number, string>> = () => ({})): string {
  return Array.from({ length: n }, (_, i) => fixMessage(orderFields(r, i + 1, over(i + 1))) + '\n').join('');
}

export const CONF_HEADER = 'exec_id,cl_ord_id,order_id,symbol,side,quantity,price,currency,trade_date,settl_date,transact_time,account,counterparty';

function confRow(r: Rng, i: number, over: Partial<Record<string, string>> = {}): string {
  const row: Record<string, string> = {
    exec_id: `EX-${i}-${int(r, 1, 99999)}`, cl_ord_id: `ORD-${i}`, order_id: `O${i}`, symbol: pick(r, ['AAPL', 'MSFT', 'VOD.L']),
    side: pick(r, ['BUY', 'SELL']), quantity: String(int(r, 1, 5000)), price: `${int(r, 1, 999)}.${int(r, 0, 99)}`, currency: 'USD',
    trade_date: '2024-03-01', settl_date: '2024-03-05', transact_time: '2024-03-01T10:00:00Z', account: 'ACC1', counterparty: 'CPTY1',
    ...over,
  } as Record<string, string>;
  return CONF_HEADER.split(',').map((c) => row[c]).join(',');
}

function confFile(r: Rng, n: number, over: (i: number) => Partial<Record<string, string>> = () => ({})): string {
  return [CONF_HEADER, ...Array.from({ length: n }, (_, i) => confRow(r, i + 1, over(i + 1)))].join('\n') + '\n';
}

/** What must happen to every file of a class. */
export type Expectation =
  | { refused: { status: number; code: string } }
  | { accepted: PipelineExpectation };

/** Checked on the run of the real parser + pipeline over the stored upload. */
export interface PipelineExpectation {
  /** Parse error codes that must appear in the parse summary. */
  parseErrors?: string[];
  /** The job status must be one of these. */
  status?: ('SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED')[];
  /** Violation types that must be counted on the main output. */
  violations?: string[];
  /** Integrity counters (FIX parse summary details.integrity) that must be > 0. */
  integrity?: string[];
  /** The parse summary's count of messages / records that must be read. */
  minMessages?: number;
}

export interface MalformedFile {
  className: string;
  kind: 'fix' | 'confirmations';
  filename: string;
  bytes: Buffer;
}

export interface MalformedClass {
  name: string;
  kind: 'fix' | 'confirmations';
  /** How many variants by default (big files get few). */
  count: number;
  expect: Expectation;
  make(r: Rng, i: number): { bytes: Buffer; filename?: string };
}

/** The limits the suite runs the upload handler with (UPLOAD_MAX_BYTES, UPLOAD_MAX_DECOMPRESSED_BYTES). */
export const SUITE_LIMITS = { maxBytes: 12 * 1024 * 1024, maxDecompressedBytes: 16 * 1024 * 1024 };

const b = (s: string, enc: BufferEncoding = 'latin1') => Buffer.from(s, enc);
const randomBytes = (r: Rng, n: number) => Buffer.from(Array.from({ length: n }, () => int(r, 0, 255)));

export const MALFORMED_CLASSES: MalformedClass[] = [
  // ---- refused at the door -------------------------------------------------------------
  { name: 'empty file', kind: 'fix', count: 40, expect: { refused: { status: 400, code: 'upload.empty' } }, make: () => ({ bytes: Buffer.alloc(0) }) },
  {
    name: 'random binary', kind: 'confirmations', count: 80, expect: { refused: { status: 415, code: 'upload.binary' } },
    make: (r) => {
      const bytes = randomBytes(r, int(r, 2000, 20000));
      bytes[0] = 0x00; // never a ZIP / UTF-16 BOM by chance
      return { bytes, filename: 'blob.bin' };
    },
  },
  {
    name: 'NUL bytes in a FIX log', kind: 'fix', count: 50, expect: { refused: { status: 415, code: 'upload.binary' } },
    make: (r) => {
      const bytes = b(fixLog(r, int(r, 3, 20)));
      for (let k = 0; k < Math.ceil(bytes.length / 200); k++) bytes[int(r, 10, bytes.length - 1)] = 0;
      return { bytes };
    },
  },
  {
    name: 'UTF-16LE with BOM', kind: 'confirmations', count: 40, expect: { refused: { status: 415, code: 'upload.utf16' } },
    make: (r) => ({ bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), b(confFile(r, int(r, 1, 20)), 'utf16le')]) }),
  },
  {
    name: 'UTF-16 without BOM (FIX)', kind: 'fix', count: 40, expect: { refused: { status: 415, code: 'upload.utf16' } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 10)), 'utf16le') }),
  },
  {
    name: 'ZIP archive', kind: 'fix', count: 40, expect: { refused: { status: 415, code: 'upload.archive_unsupported' } },
    make: (r) => ({ bytes: Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(r, int(r, 100, 4000))]), filename: 'logs.zip' }),
  },
  {
    name: 'gzip bomb', kind: 'fix', count: 3, expect: { refused: { status: 413, code: 'upload.decompressed_too_large' } },
    make: (r) => ({ bytes: gzipSync(Buffer.alloc(SUITE_LIMITS.maxDecompressedBytes + 1024 * 1024, b(fixLog(r, 50))), { level: 9 }), filename: `bomb${int(r, 1, 9)}.log.gz` }),
  },
  {
    name: '.gz name, not gzip', kind: 'fix', count: 40, expect: { refused: { status: 415, code: 'upload.bad_gzip' } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 5))), filename: 'day.log.gz' }),
  },
  {
    name: 'truncated gzip', kind: 'confirmations', count: 40, expect: { refused: { status: 415, code: 'upload.bad_gzip' } },
    make: (r) => {
      const gz = gzipSync(b(confFile(r, int(r, 50, 200))));
      return { bytes: gz.subarray(0, int(r, 20, gz.length - 9)), filename: 'conf.csv.gz' };
    },
  },
  {
    name: '4 KB file name', kind: 'fix', count: 30, expect: { refused: { status: 400, code: 'upload.bad_filename' } },
    make: (r) => ({ bytes: b(fixLog(r, 2)), filename: pick(r, ['x', 'é', '../', '%']).repeat(int(r, 1100, 4200)) }),
  },
  {
    name: 'FIX without 8= BeginString', kind: 'fix', count: 50, expect: { refused: { status: 415, code: 'upload.not_fix' } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 10)).replace(/8=FIX\.4\.4\x01/g, pick(r, ['', '8=XYZ\x01', 'BeginString=FIX.4.4\x01']))) }),
  },
  {
    name: 'over the size limit', kind: 'confirmations', count: 2, expect: { refused: { status: 413, code: 'upload.too_large' } },
    make: (r) => ({ bytes: Buffer.alloc(SUITE_LIMITS.maxBytes + int(r, 1, 4096), b(confFile(r, 100))) }),
  },

  // ---- accepted, then handled by the parser / pipeline ---------------------------------
  {
    name: 'path-traversal file names', kind: 'fix', count: 30, expect: { accepted: { status: ['SUCCESS'] } },
    make: (r, i) => ({
      bytes: b(fixLog(r, 3)),
      filename: pick(r, ['../../../etc/passwd', '..\\..\\windows\\system32\\x.log', '/etc/shadow', 'a/../../b.log', `..%2F..%2Fx${i}`, '....//....//x', 'con:stream', 'x\u0000.log', '~/.ssh/id_rsa']),
    }),
  },
  {
    name: 'truncated FIX', kind: 'fix', count: 30, expect: { accepted: { parseErrors: ['fix.truncated'] } },
    make: (r) => {
      const log = fixLog(r, int(r, 2, 10));
      const last = log.lastIndexOf('8=FIX');
      return { bytes: b(log.slice(0, int(r, last + 12, log.length - 12))) };
    },
  },
  {
    name: 'FIX with a wrong BodyLength (9)', kind: 'fix', count: 30, expect: { accepted: { integrity: ['body_length_mismatch'] } },
    make: (r) => ({ bytes: b(Array.from({ length: int(r, 1, 8) }, (_, i) => fixMessage(orderFields(r, i + 1), { bodyLength: String(int(r, 1, 40)) }) + '\n').join('')) }),
  },
  {
    name: 'FIX with a wrong CheckSum (10)', kind: 'fix', count: 30, expect: { accepted: { integrity: ['checksum_mismatch'] } },
    make: (r) => ({ bytes: b(Array.from({ length: int(r, 1, 8) }, (_, i) => fixMessage(orderFields(r, i + 1), { checksum: pick(r, ['999', '000', 'abc', '1']) }) + '\n').join('')) }),
  },
  {
    // Observed: a repeated non-group tag is not a parse error (the row builder keeps one value).
    name: 'FIX with duplicate tags', kind: 'fix', count: 30, expect: { accepted: { status: ['SUCCESS'] } },
    make: (r) => ({ bytes: b(Array.from({ length: int(r, 1, 8) }, (_, i) => fixMessage([...orderFields(r, i + 1), [55, 'DUPL'], [44, '1.5']]) + '\n').join('')) }),
  },
  {
    name: 'FIX with non-numeric tags', kind: 'fix', count: 30, expect: { accepted: { parseErrors: ['fix.garbled_field'] } },
    make: (r) => ({ bytes: b(Array.from({ length: int(r, 1, 8) }, (_, i) => fixMessage([...orderFields(r, i + 1), [pick(r, ['abc', '5x5', '-1', 'Price']), 'v']]) + '\n').join('')) }),
  },
  {
    // A FIX float has no '+': the FIX default contracts declare prices and quantities with format
    // fix_float (lib/contracts/decimal-format.ts), so '+12.5' is format_invalid and its row is
    // quarantined (or the output FAILED when every row is bad, over the 10 % policy).
    name: 'FIX with + prices', kind: 'fix', count: 30, expect: { accepted: { status: ['PARTIAL_SUCCESS', 'FAILED'], violations: ['format_invalid'] } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 8), () => ({ 44: `+${int(r, 1, 999)}.5` }))) }),
  },
  {
    name: 'FIX with impossible timestamps', kind: 'fix', count: 30, expect: { accepted: { violations: ['format_invalid'] } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 8), () => ({ 60: pick(r, ['20240230-10:00:00', '20241301-00:00:00', '20240101-25:00:00', '20240101-10:61:00', '20240101-10:00:61.000', '2024-01-01T10:00:00Z']) }))) }),
  },
  {
    name: 'FIX with 39-digit decimals', kind: 'fix', count: 30, expect: { accepted: { violations: ['precision_exceeded'] } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 8), () => ({ 44: '9'.repeat(int(r, 30, 39)) + '.' + String(int(r, 0, 9)) }))) }),
  },
  {
    name: 'FIX with CR-only line ends', kind: 'fix', count: 30, expect: { accepted: { status: ['SUCCESS'], minMessages: 2 } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 2, 10)).replace(/\n/g, '\r')) }),
  },
  {
    name: 'FIX with an unknown delimiter', kind: 'fix', count: 30, expect: { accepted: { parseErrors: ['fix.unknown_delimiter'] } },
    make: (r) => ({ bytes: b(fixLog(r, int(r, 1, 5)).replace(/\x01/g, pick(r, [';', '#', '~']))) }),
  },
  {
    name: 'FIX with a 10 MB line', kind: 'fix', count: 2, expect: { accepted: { parseErrors: ['fix.too_long'] } },
    make: (r) => ({ bytes: b(fixMessage(orderFields(r, 1, { 58: 'x'.repeat(10 * 1024 * 1024) })) + '\n') }),
  },
  {
    name: 'CSV with a 10 MB line', kind: 'confirmations', count: 2, expect: { accepted: { parseErrors: ['csv.record_too_large'] } },
    make: (r) => ({ bytes: b(confFile(r, 3) + confRow(r, 4, { account: 'y'.repeat(10 * 1024 * 1024) }) + '\n') }),
  },
  {
    name: 'CSV with a 100k-column header', kind: 'confirmations', count: 2, expect: { accepted: { status: ['FAILED'] } },
    make: (r) => ({ bytes: b(Array.from({ length: 100_000 }, (_, k) => `c${k}_${int(r, 0, 9)}`).join(',') + '\n' + '1,'.repeat(99_999) + '1\n') }),
  },
  {
    name: 'CSV with broken quoting', kind: 'confirmations', count: 30, expect: { accepted: { parseErrors: ['csv.bad_quoting'] } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 2, 10)) + confRow(r, 99, { symbol: pick(r, ['"AAPL', 'AA"PL"x', '"unterminated\nline']) }) + '\n') }),
  },
  {
    name: 'CSV with wrong cell counts', kind: 'confirmations', count: 30, expect: { accepted: { parseErrors: ['csv.wrong_cell_count'] } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 2, 10)) + pick(r, ['E1,AAPL\n', 'E2,,,,,,,,,,,,,,,,,,,extra\n'])) }),
  },
  {
    name: 'CSV with a duplicate header', kind: 'confirmations', count: 30, expect: { accepted: { parseErrors: ['csv.duplicate_header'] } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 1, 5)).replace('currency', 'symbol')) }),
  },
  {
    name: 'CSV with + prices and 39-digit decimals', kind: 'confirmations', count: 30, expect: { accepted: { status: ['PARTIAL_SUCCESS', 'FAILED'] } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 2, 10), () => ({ price: pick(r, [`+${int(r, 1, 99)}.5`, '9'.repeat(39), '1.' + '1'.repeat(38)]) }))) }),
  },
  {
    name: 'CSV with impossible dates', kind: 'confirmations', count: 30, expect: { accepted: { status: ['PARTIAL_SUCCESS', 'FAILED'] } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 2, 10), () => ({ trade_date: pick(r, ['2024-02-30', '2024-13-01', '0000-00-00', '24-03-01']) }))) }),
  },
  {
    name: 'CSV with CR-only line ends', kind: 'confirmations', count: 30, expect: { accepted: { status: ['SUCCESS'], minMessages: 2 } },
    make: (r) => ({ bytes: b(confFile(r, int(r, 2, 10)).replace(/\n/g, '\r')) }),
  },
  { name: 'only a BOM', kind: 'confirmations', count: 10, expect: { accepted: { parseErrors: ['csv.missing_header'] } }, make: () => ({ bytes: Buffer.from([0xef, 0xbb, 0xbf]) }) },
  {
    name: 'CSV missing required columns', kind: 'confirmations', count: 30, expect: { accepted: { status: ['FAILED'] } },
    make: (r) => ({ bytes: b(`exec_id,${pick(r, ['foo', 'bar', 'note'])}\nE1,x\nE2,y\n`) }),
  },
];

/** Every file of every class, deterministically from `seed`; `scale` multiplies the per-class counts. */
export function* malformedFiles(seed: number, scale = 1): Generator<MalformedFile & { cls: MalformedClass; index: number }> {
  for (const [ci, cls] of MALFORMED_CLASSES.entries()) {
    const r = rng(seed * 1000 + ci);
    const n = Math.max(1, Math.round(cls.count * scale));
    for (let i = 0; i < n; i++) {
      const made = cls.make(r, i);
      yield { cls, index: i, className: cls.name, kind: cls.kind, filename: made.filename ?? `${cls.kind}-${ci}-${i}.${cls.kind === 'fix' ? 'log' : 'csv'}`, bytes: made.bytes };
    }
  }
}
