import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileChunks } from '../../lib/parsers/read-file-stream';

const dir = mkdtempSync(path.join(os.tmpdir(), 'read-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const content = Buffer.from(Array.from({ length: 5000 }, (_, i) => `line ${i}\n`).join(''));
const plain = path.join(dir, 'data.txt');
const gz = path.join(dir, 'data.txt.gz');
writeFileSync(plain, content);
writeFileSync(gz, gzipSync(content));

async function readAll(iter: AsyncIterable<Uint8Array>): Promise<{ bytes: Buffer; chunks: number[] }> {
  const parts: Uint8Array[] = [];
  for await (const c of iter) parts.push(c);
  return { bytes: Buffer.concat(parts), chunks: parts.map((p) => p.length) };
}

describe('readFileChunks', () => {
  it('reads a whole file in chunks of highWaterMark bytes', async () => {
    const { bytes, chunks } = await readAll(readFileChunks(plain, { highWaterMark: 4096 }));
    expect(bytes.equals(content)).toBe(true);
    expect(Math.max(...chunks)).toBe(4096);
  });

  it('reads a byte range [start, end)', async () => {
    const { bytes } = await readAll(readFileChunks(plain, { start: 100, end: 250, highWaterMark: 64 }));
    expect(bytes.equals(content.subarray(100, 250))).toBe(true);
    expect((await readAll(readFileChunks(plain, { start: 10, end: 10 }))).bytes.length).toBe(0);
  });

  it('gunzips a .gz file transparently', async () => {
    const { bytes } = await readAll(readFileChunks(gz, { highWaterMark: 1024 }));
    expect(bytes.equals(content)).toBe(true);
  });

  it('refuses a byte range of a .gz file', async () => {
    await expect(readAll(readFileChunks(gz, { start: 5 }))).rejects.toThrow(/read.range_on_gzip/);
  });

  it('rejects a missing file, a directory and a corrupt .gz', async () => {
    await expect(readAll(readFileChunks(path.join(dir, 'missing.txt')))).rejects.toMatchObject({ code: 'ENOENT' });
    const sub = path.join(dir, 'sub');
    mkdirSync(sub);
    await expect(readAll(readFileChunks(sub))).rejects.toMatchObject({ code: 'EISDIR' });
    const bad = path.join(dir, 'bad.gz');
    writeFileSync(bad, Buffer.from('not gzip at all'));
    await expect(readAll(readFileChunks(bad))).rejects.toThrow();
  });
});
