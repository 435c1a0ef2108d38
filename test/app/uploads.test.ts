// Upload storage: streamed to data/uploads/<sha256> with limits, content sniffing, gzip and
// dedup. Real files in a temp data directory, real DuckDB for the uploads rows.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../lib/server/audit/verify-audit-chain';
import { escapeOriginalName } from '../../lib/server/uploads/escape-original-name';
import { recordUpload } from '../../lib/server/uploads/record-upload';
import { sniffContent } from '../../lib/server/uploads/sniff-content';
import { storeUploadStream } from '../../lib/server/uploads/store-upload-stream';
import { openTempDb, type TempDb } from './temp-db';

const SOH = '\x01';
const fixMessage = (seq: number) => `8=FIX.4.4${SOH}9=5${SOH}35=0${SOH}34=${seq}${SOH}10=000${SOH}\n`;
const FIX = Buffer.from(Array.from({ length: 50 }, (_, i) => fixMessage(i + 1)).join(''));
const CSV = Buffer.from('exec_id,symbol,side,quantity,price,trade_date\nE1,AAPL,BUY,100,189.5,2024-03-01\n');

function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const chunk of chunks) c.enqueue(chunk);
      c.close();
    },
  });
}

/** An endless body of `chunk` repeated, counting how much was pulled from it. */
function endless(chunk: Uint8Array): { stream: ReadableStream<Uint8Array>; pulled: () => number; cancelled: () => boolean } {
  let pulled = 0;
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      pulled += chunk.length;
      c.enqueue(chunk);
    },
    cancel() {
      cancelled = true;
    },
  });
  return { stream, pulled: () => pulled, cancelled: () => cancelled };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('uploads', () => {
  let t: TempDb;
  let uploadsDir: string;
  const limits = { maxBytes: 1024 * 1024, maxDecompressedBytes: 2 * 1024 * 1024 };
  beforeAll(async () => {
    t = await openTempDb();
    uploadsDir = path.join(t.dataDir, 'uploads');
  });
  afterAll(async () => t.cleanup());

  const incomingIsEmpty = () => !existsSync(path.join(uploadsDir, '.incoming')) || readdirSync(path.join(uploadsDir, '.incoming')).length === 0;

  it('stores a FIX log under its sha256, arriving in many small chunks', async () => {
    const chunks = Array.from({ length: Math.ceil(FIX.length / 7) }, (_, i) => FIX.subarray(i * 7, i * 7 + 7));
    const stored = await storeUploadStream(streamOf(...chunks), { uploadsDir, kind: 'fix', nameSaysGzip: false, limits });
    expect(stored).toMatchObject({ sha256: sha(FIX), sizeBytes: FIX.length, receivedBytes: FIX.length, gzip: false });
    expect(stored.path).toBe(path.join(uploadsDir, sha(FIX)));
    expect(readFileSync(stored.path).equals(FIX)).toBe(true);
    expect(incomingIsEmpty()).toBe(true);
  });

  it('refuses a body over the limit with upload.too_large, stops reading it, and leaves nothing behind', async () => {
    const body = endless(Buffer.from(fixMessage(1).repeat(1000)));
    await expect(storeUploadStream(body.stream, { uploadsDir, kind: 'fix', nameSaysGzip: false, limits })).rejects.toMatchObject({
      code: 'upload.too_large',
      status: 413,
    });
    expect(body.pulled()).toBeLessThan(limits.maxBytes + 16 * 64 * 1024);
    expect(body.cancelled()).toBe(true);
    expect(incomingIsEmpty()).toBe(true);
  });

  it('decompresses .gz and stores the decompressed bytes content-addressed', async () => {
    const gz = gzipSync(CSV);
    const stored = await storeUploadStream(streamOf(gz), { uploadsDir, kind: 'confirmations', nameSaysGzip: true, limits });
    expect(stored).toMatchObject({ sha256: sha(CSV), sizeBytes: CSV.length, receivedBytes: gz.length, gzip: true });
    expect(readFileSync(stored.path).equals(CSV)).toBe(true);
  });

  it('stops a gzip bomb at the decompressed limit', async () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 'A'));
    expect(bomb.length).toBeLessThan(limits.maxBytes);
    await expect(storeUploadStream(streamOf(bomb), { uploadsDir, kind: 'confirmations', nameSaysGzip: true, limits })).rejects.toMatchObject({
      code: 'upload.decompressed_too_large',
      status: 413,
    });
    expect(incomingIsEmpty()).toBe(true);
  });

  it('refuses corrupt gzip and a .gz name on plain bytes', async () => {
    const gz = gzipSync(FIX);
    await expect(storeUploadStream(streamOf(gz.subarray(0, gz.length - 20)), { uploadsDir, kind: 'fix', nameSaysGzip: true, limits })).rejects.toMatchObject({
      code: 'upload.bad_gzip',
    });
    await expect(storeUploadStream(streamOf(FIX), { uploadsDir, kind: 'fix', nameSaysGzip: true, limits })).rejects.toMatchObject({ code: 'upload.bad_gzip' });
    expect(incomingIsEmpty()).toBe(true);
  });

  const refused: [string, Buffer, 'fix' | 'confirmations', string][] = [
    ['empty', Buffer.alloc(0), 'fix', 'upload.empty'],
    ['no 8=FIX', Buffer.from('35=D|49=A|56=B\n'.repeat(10)), 'fix', 'upload.not_fix'],
    ['UTF-16 with BOM', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('exec_id,symbol\n', 'utf16le')]), 'confirmations', 'upload.utf16'],
    ['UTF-16 without BOM', Buffer.from(`8=FIX.4.4${SOH}9=5${SOH}`.repeat(20), 'utf16le'), 'fix', 'upload.utf16'],
    ['NUL-heavy', Buffer.concat([FIX, Buffer.alloc(4096)]), 'fix', 'upload.binary'],
    ['binary confirmations', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)), 'confirmations', 'upload.binary'],
    ['Latin-1 confirmations', Buffer.from('exec_id,name\nE1,Soci\xe9t\xe9 G\xe9n\xe9rale\n', 'latin1'), 'confirmations', 'upload.not_text'],
    ['FIX as confirmations', FIX, 'confirmations', 'upload.not_text'],
    ['a zip', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.from('8=FIX.4.4')]), 'fix', 'upload.archive_unsupported'],
  ];
  for (const [what, bytes, kind, code] of refused) {
    it(`refuses ${what} with ${code}`, async () => {
      await expect(storeUploadStream(streamOf(bytes), { uploadsDir, kind, nameSaysGzip: false, limits })).rejects.toMatchObject({ code });
      expect(incomingIsEmpty()).toBe(true);
    });
  }

  it('sniffs only the head, tolerating a UTF-8 sequence cut at its end', () => {
    const text = Buffer.from('exec_id,name\n' + 'E1,Société Générale\n'.repeat(5000));
    expect(sniffContent(text.subarray(0, 64 * 1024), 'confirmations', false)).toEqual({ ok: true });
    const cut = Buffer.from('a,b\nx,é');
    expect(sniffContent(cut.subarray(0, cut.length - 1), 'confirmations', false)).toEqual({ ok: true });
    expect(sniffContent(cut.subarray(0, cut.length - 1), 'confirmations', true)).toMatchObject({ ok: false, code: 'upload.not_text' });
  });

  it('links the same bytes uploaded twice to the earlier upload', async () => {
    const first = await storeUploadStream(streamOf(FIX), { uploadsDir, kind: 'fix', nameSaysGzip: false, limits });
    const a = await recordUpload(t.db, { stored: first, kind: 'fix', originalName: 'day1.log', actor: 'ops' });
    const second = await storeUploadStream(streamOf(gzipSync(FIX)), { uploadsDir, kind: 'fix', nameSaysGzip: false, limits });
    expect(second.sha256).toBe(first.sha256);
    const b = await recordUpload(t.db, { stored: second, kind: 'fix', originalName: 'day1-again.log.gz', actor: 'ops' });
    expect(a).toMatchObject({ duplicateOf: null, canonicalUploadId: a.uploadId });
    expect(b).toMatchObject({ duplicateOf: a.uploadId, canonicalUploadId: a.uploadId });
    expect(b.uploadId).not.toBe(a.uploadId);
    const rows = await t.db.all('SELECT original_name, gzip, duplicate_of FROM uploads WHERE sha256 = ? ORDER BY uploaded_at', [first.sha256]);
    expect(rows).toEqual([
      { original_name: 'day1.log', gzip: false, duplicate_of: null },
      { original_name: 'day1-again.log.gz', gzip: true, duplicate_of: a.uploadId },
    ]);
    const actions = await t.db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'upload.%' ORDER BY seq`);
    expect(actions.map((r) => r.action)).toEqual(['upload.created', 'upload.duplicate']);
    expect(await verifyAuditChain(t.db)).toMatchObject({ ok: true });
  });

  it('keeps the original name only in escaped form', () => {
    expect(escapeOriginalName('../../etc/passwd')).toBe('../../etc/passwd');
    expect(escapeOriginalName('a\nb\u0000c')).toBe('a\\u{000a}b\\u{0000}c');
    expect(escapeOriginalName('invoice\u202Egpj.exe')).toBe('invoice\\u{202e}gpj.exe');
    expect(escapeOriginalName('C:\\x')).toBe('C:\\\\x');
  });
});
