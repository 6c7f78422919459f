/**
 * Reads and deflates files on worker threads, one per core, in batches.
 *
 * Why workers with synchronous calls rather than fs/zlib's async API on the libuv threadpool: per file, the async
 * route costs several threadpool round trips, promise and callback work on the main thread, and a zlib handle created
 * and closed from JS; on bench/build.ts's tree (12,000 files) that overhead was 1.7x Info-ZIP's whole CPU time. A
 * worker doing readFileSync + gzipSync in a loop spends its time in the syscalls and in deflate.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface DeflateJob {
  index: number;
  path: string;
}

export interface DeflateResult {
  index: number;
  method: 0 | 8;
  crc: number;
  size: number;
  /** The deflated bytes, or the file's own bytes when deflate does not make it smaller. */
  data: Uint8Array;
}

/**
 * The worker, as CommonJS source: it must run from the single-file bundle too, where no separate worker file exists.
 *
 * gzipSync instead of deflateRawSync: the same deflate stream between a 10-byte header and a trailer holding the
 * CRC-32, computed here rather than on the main thread. The zlib state is sized to the file: a fresh deflate state is
 * zeroed page by page, and for the thousands of small files of a typical layer that costs more than deflating them.
 * A window that still holds the whole file finds the same matches, so the bytes barely change (on the bench tree not
 * at all); the parameters depend only on the file's size, so the zip stays deterministic.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const zlib = require('node:zlib');
function deflate(job) {
  const raw = fs.readFileSync(job.path);
  const n = raw.length;
  const gz = zlib.gzipSync(raw, {
    level: workerData.level,
    windowBits: Math.min(15, Math.max(9, Math.ceil(Math.log2(n + 262)))),
    memLevel: n < 4096 ? 6 : n < 16384 ? 7 : 8,
    chunkSize: Math.max(1024, n + (n >> 8) + 64),
  });
  const deflated = gz.subarray(10, gz.length - 8);
  const smaller = deflated.length < n;
  const source = smaller ? deflated : raw;
  const data = new Uint8Array(source.length);
  data.set(source);
  return { index: job.index, method: smaller ? 8 : 0, crc: gz.readUInt32LE(gz.length - 8), size: n, data };
}
parentPort.on('message', (batch) => {
  try {
    const results = batch.map(deflate);
    parentPort.postMessage({ results }, results.map((r) => r.data.buffer));
  } catch (error) {
    parentPort.postMessage({ error: error.message, code: error.code, path: error.path });
  }
});
`;

interface WorkerMessage {
  results?: DeflateResult[];
  error?: string;
  code?: string;
  path?: string;
}

interface Pending {
  resolve: (results: DeflateResult[]) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Pending[];
  bytes: number[];
}

export class DeflatePool {
  private readonly workers: PoolWorker[];
  private failure?: Error;

  constructor(level: number, size = Math.min(8, Math.max(1, os.availableParallelism()))) {
    this.workers = Array.from({ length: size }, () => this.start(level));
  }

  /** Deflates a batch on the least loaded worker; results come back in the batch's order. */
  deflate(batch: DeflateJob[], bytes: number): Promise<DeflateResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    const load = (w: PoolWorker) => w.bytes.reduce((a, b) => a + b, 0);
    const target = this.workers.reduce((best, w) => (load(w) < load(best) ? w : best));
    return new Promise((resolve, reject) => {
      target.pending.push({ resolve, reject });
      target.bytes.push(bytes);
      target.worker.postMessage(batch);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }

  private start(level: number): PoolWorker {
    const entry: PoolWorker = {
      // No execArgv: the worker is plain CommonJS and needs none of the parent's loaders (tsx in the bench).
      worker: new Worker(WORKER_SOURCE, { eval: true, workerData: { level }, execArgv: [] }),
      pending: [],
      bytes: [],
    };
    entry.worker.on('message', (message: WorkerMessage) => {
      const pending = entry.pending.shift()!;
      entry.bytes.shift();
      if (message.results) pending.resolve(message.results);
      // The errno code and path travel along, so the caller can tell an unreadable file from a bug.
      else pending.reject(Object.assign(new Error(message.error), { code: message.code, path: message.path }));
    });
    entry.worker.on('error', (error) => this.fail(error));
    entry.worker.on('exit', (code) => {
      if (entry.pending.length > 0) this.fail(new Error(`A deflate worker stopped (exit code ${code})`));
    });
    return entry;
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const w of this.workers) for (const p of w.pending.splice(0)) p.reject(error);
  }
}
