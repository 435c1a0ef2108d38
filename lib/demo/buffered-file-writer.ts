import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

// Appends text to a file through a write stream, in chunks, honouring backpressure: memory holds
// at most one chunk plus what the stream buffers, whatever the size of the dataset.

const CHUNK_CHARS = 1 << 18;

export class BufferedFileWriter {
  private readonly stream: WriteStream;
  private pending: string[] = [];
  private pendingChars = 0;
  bytesWritten = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8' });
  }

  write(text: string): void {
    this.pending.push(text);
    this.pendingChars += text.length;
  }

  get needsFlush(): boolean {
    return this.pendingChars >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    this.bytesWritten += Buffer.byteLength(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }

  /** Closes without flushing (after a failure). */
  destroy(): void {
    this.stream.destroy();
  }
}
