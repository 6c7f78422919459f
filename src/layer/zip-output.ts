/** The zip's output file for zip.ts: sequential writes, batched into large syscalls, hashed on the way out. */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';

const WRITE_BATCH = 1 << 20;

/** Sequential writes, batched into large syscalls, hashed on the way out. */
export class OutputFile {
  position = 0;
  private readonly hash = createHash('sha256');
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;

  constructor(private readonly fh: FileHandle) {}

  async write(data: Buffer): Promise<void> {
    if (data.length === 0) return;
    this.hash.update(data);
    this.position += data.length;
    this.pending.push(data);
    this.pendingBytes += data.length;
    if (this.pendingBytes >= WRITE_BATCH) await this.flush();
  }

  /** Copies exactly `length` bytes of a file (it must not have changed since it was measured). */
  async copyFrom(file: string, length: number): Promise<void> {
    await this.flush();
    const input = await open(file, 'r');
    try {
      const chunk = Buffer.alloc(Math.min(WRITE_BATCH, Math.max(length, 1)));
      let copied = 0;
      while (copied < length) {
        const { bytesRead } = await input.read(chunk, 0, Math.min(chunk.length, length - copied), copied);
        if (bytesRead === 0) throw new Error(`${file} changed while the zip was written`);
        // Flushed at once, so the chunk can be reused for the next read.
        await this.write(chunk.subarray(0, bytesRead));
        await this.flush();
        copied += bytesRead;
      }
    } finally {
      await input.close();
    }
  }

  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    await this.fh.writev(batch);
  }

  async close(): Promise<{ sha256: string; size: number }> {
    await this.flush();
    this.closed = true;
    await this.fh.close();
    return { sha256: this.hash.digest('hex'), size: this.position };
  }

  async abort(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      await this.fh.close();
    }
  }
}
