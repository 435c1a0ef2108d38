import type { FileHandle } from 'node:fs/promises';
import { ioFault } from '../../../worker/fault-points';

/**
 * Writes a stream of (small) chunks to a file in large blocks. An HTTP body arrives in chunks
 * of 16–64 KiB; a write stream makes one write(2) and a few callbacks per chunk. Here chunks are
 * copied into a block of `blockBytes`, and a full block is written while the next one fills
 * (two blocks: at most one write in flight), so the disk and the reader overlap.
 * Invariant: bytes reach the file in the order they were given, exactly once.
 */
export class CoalescingFileWriter {
  private block: Buffer;
  private spare: Buffer;
  private used = 0;
  private position = 0;
  private inFlight: Promise<unknown> | null = null;

  constructor(
    private readonly fh: FileHandle,
    blockBytes = 1 << 20,
  ) {
    this.block = Buffer.allocUnsafe(blockBytes);
    this.spare = Buffer.allocUnsafe(blockBytes);
  }

  async write(chunk: Uint8Array): Promise<void> {
    let from = 0;
    while (from < chunk.length) {
      const n = Math.min(chunk.length - from, this.block.length - this.used);
      this.block.set(chunk.subarray(from, from + n), this.used);
      this.used += n;
      from += n;
      if (this.used === this.block.length) await this.flushBlock();
    }
  }

  /** Writes what is buffered and waits for every write to finish. */
  async end(): Promise<void> {
    if (this.used > 0) await this.flushBlock();
    await this.inFlight;
    this.inFlight = null;
  }

  private async flushBlock(): Promise<void> {
    await this.inFlight; // the spare block is free again once its write has finished
    const full = this.block;
    const length = this.used;
    const at = this.position;
    this.inFlight = writeFully(this.fh, full, length, at);
    // A failed write must surface even if no later call awaits it: end() or the next flush does.
    this.inFlight.catch(() => undefined);
    this.position += length;
    this.block = this.spare;
    this.spare = full;
    this.used = 0;
  }
}

async function writeFully(fh: FileHandle, buf: Buffer, length: number, position: number): Promise<void> {
  ioFault('upload_write', 'write', `fd ${fh.fd}`); // reliability fault site (inert unless armed)
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await fh.write(buf, done, length - done, position + done);
    done += bytesWritten;
  }
}
