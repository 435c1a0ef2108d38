import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoalescingFileWriter } from '../../lib/server/uploads/coalescing-file-writer';

// The upload's file writer copies body chunks into large blocks: the file must hold exactly the
// bytes given, in order, whatever the chunk sizes against the block size.

const dir = mkdtempSync(path.join(os.tmpdir(), 'wb-coalesce-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function writeAll(name: string, chunks: Buffer[], blockBytes: number): Promise<Buffer> {
  const file = path.join(dir, name);
  const fh = await open(file, 'wx');
  const w = new CoalescingFileWriter(fh, blockBytes);
  for (const c of chunks) await w.write(c);
  await w.end();
  await fh.close();
  return readFileSync(file);
}

describe('CoalescingFileWriter', () => {
  it('writes every byte in order for chunks smaller, equal to and larger than a block', async () => {
    const sizes = [1, 7, 16, 15, 17, 0, 64, 3, 100, 16, 5];
    const chunks = sizes.map((n) => randomBytes(n));
    expect(await writeAll('mixed', chunks, 16)).toEqual(Buffer.concat(chunks));
  });

  it('writes nothing for no bytes and a partial last block at end()', async () => {
    expect((await writeAll('empty', [], 8)).length).toBe(0);
    const one = randomBytes(5);
    expect(await writeAll('partial', [one], 8)).toEqual(one);
  });

  it('keeps 30 MiB of 16 KiB chunks byte for byte at the default block size', async () => {
    const chunks = Array.from({ length: 1920 }, () => randomBytes(16 * 1024));
    expect((await writeAll('big', chunks, 1 << 20)).equals(Buffer.concat(chunks))).toBe(true);
  });
});
