/**
 * Writes a layer zip, deterministically and fast.
 *
 * Hand-written rather than a zip library, against STYLE's "prefer a library" rule, because the library is the
 * bottleneck (`npm run bench -- build`, bench/build.ts, 2 cores): streaming one entry at a time through archiver
 * (the zip library of @actions/artifact) took 2.6x Info-ZIP's wall; reading and deflating files in batches on one
 * worker per core (deflate-pool.ts) while this thread writes them in sorted order takes 0.52-0.56x. Determinism needs control of every header byte anyway
 * (zip-format.ts).
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';
import { DeflatePool, type DeflateJob, type DeflateResult } from './deflate-pool.js';
import { unreadable } from './walk.js';
import { OutputFile } from './zip-output.js';
import * as fmt from './zip-format.js';

export interface ZipSource {
  /** Name inside the zip, '/'-separated; folders end with '/'. */
  name: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Expected bytes (from the walk); used to plan memory, the bytes read are what counts. */
  size: number;
  executable: boolean;
  /** File on disk (files). */
  source?: string;
  /** Link target (symlinks). */
  target?: string;
}

export interface ZipOptions {
  /** Seconds since the Unix epoch for every entry's timestamp. */
  epochSeconds: number;
  /** Deflate level, 6 like Info-ZIP's default. */
  level?: number;
  /** Input bytes read and being deflated ahead of the writer: bounds peak memory at about twice this. */
  inflightBytes?: number;
  /** Files above this size are deflated as a stream into a spool file instead of in memory. */
  spoolThreshold?: number;
}

export interface ZipResult {
  path: string;
  /** Hex SHA-256 of the zip. */
  sha256: string;
  size: number;
  /** Non-folder entries. */
  files: number;
  unzippedSize: number;
  entries: number;
}

interface Prepared {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** In-memory data, or a file to copy (a spool of deflated data, or the source stored as is). */
  data: Buffer | { file: string };
}

const MAX_TASKS_AHEAD = 4096;
/** Files per message to a worker, and bytes: enough to make messaging cheap, few enough to spread the work. */
const BATCH_FILES = 64;
const BATCH_BYTES = 1 << 20;

/** Byte-wise order of the UTF-8 names: the same on every machine and locale. */
export function sortForZip<T extends { name: string }>(entries: T[]): T[] {
  const keyed = entries.map((e) => ({ e, key: Buffer.from(e.name, 'utf8') }));
  keyed.sort((a, b) => Buffer.compare(a.key, b.key));
  return keyed.map((k) => k.e);
}

/**
 * The work ahead of the writer, in entry order: small files read and deflated in batches on the workers, the rest
 * here; at most `budget` bytes of small files ahead (and MAX_TASKS_AHEAD entries).
 */
class ReadAhead {
  private readonly ahead: Promise<Prepared>[] = [];
  private next = 0;
  private aheadBytes = 0;

  constructor(
    private readonly sorted: ZipSource[],
    private readonly work: { workers: DeflatePool; level: number; spoolDir: string; budget: number },
    private readonly inMemory: (e: ZipSource) => boolean,
  ) {}

  /** Starts the work for the entries after `next`. */
  private fill(): void {
    const { sorted, inMemory } = this;
    const { workers, level, spoolDir, budget } = this.work;
    while (
      this.next < sorted.length &&
      this.ahead.length < MAX_TASKS_AHEAD &&
      (this.ahead.length === 0 || this.aheadBytes < budget)
    ) {
      if (!inMemory(sorted[this.next])) {
        this.ahead.push(quiet(prepareHere(sorted[this.next], level, path.join(spoolDir, String(this.next)))));
        this.next++;
        continue;
      }
      const batch: DeflateJob[] = [];
      let bytes = 0;
      while (
        this.next < sorted.length &&
        inMemory(sorted[this.next]) &&
        batch.length < BATCH_FILES &&
        bytes < BATCH_BYTES
      ) {
        batch.push({ index: this.next, path: sorted[this.next].source! });
        bytes += sorted[this.next].size;
        this.next++;
      }
      const results = workers.deflate(batch, bytes);
      for (let k = 0; k < batch.length; k++) this.ahead.push(quiet(results.then((r) => fromWorker(r[k]))));
      this.aheadBytes += bytes;
    }
  }

  /** Entry `i` (taken in order), its data ready to write. */
  async take(i: number): Promise<Prepared> {
    this.fill();
    const entry = this.sorted[i];
    const prepared = await this.ahead.shift()!.catch((err: unknown) => {
      const failed = (err as { path?: string }).path;
      throw unreadable(err, this.sorted.find((e) => e.source === failed)?.name ?? entry.name);
    });
    if (this.inMemory(entry)) this.aheadBytes -= entry.size;
    return prepared;
  }
}

/** Writes one entry's local header and data; returns its record for the central directory. */
async function writeEntry(out: OutputFile, entry: ZipSource, prepared: Prepared, time: fmt.DosTime) {
  if (!fmt.fitsClassicSizes(prepared.size)) throw new Error(`${entry.name} is too large for a layer zip`);
  const record: fmt.EntryRecord = {
    name: Buffer.from(entry.name, 'utf8'),
    method: prepared.method,
    crc: prepared.crc,
    compressedSize: prepared.compressedSize,
    size: prepared.size,
    mode: modeOf(entry),
    offset: out.position,
  };
  await out.write(fmt.localHeader(record, time));
  if (Buffer.isBuffer(prepared.data)) await out.write(prepared.data);
  else await out.copyFrom(prepared.data.file, prepared.compressedSize);
  return record;
}

export async function writeZip(entries: ZipSource[], outFile: string, options: ZipOptions): Promise<ZipResult> {
  const level = options.level ?? 6;
  const budget = options.inflightBytes ?? 64 << 20;
  const spoolThreshold = options.spoolThreshold ?? 8 << 20;
  const time = fmt.dosTime(options.epochSeconds);
  const sorted = sortForZip(entries);
  // Everything that can fail to start comes before the workers, or after them inside the try: a worker that nothing
  // stops keeps the process (and the job) alive after the error is reported.
  const out = new OutputFile(await open(outFile, 'w'));
  let spoolDir: string | undefined;
  let pool: DeflatePool | undefined;
  const records: fmt.EntryRecord[] = [];
  let files = 0;
  let unzippedSize = 0;
  try {
    spoolDir = await mkdtemp(path.join(tmpdir(), 'llr-zip-'));
    const workers = (pool = new DeflatePool(level));
    const inMemory = (e: ZipSource) => e.kind === 'file' && e.size <= spoolThreshold;
    const reader = new ReadAhead(sorted, { workers, level, spoolDir, budget }, inMemory);
    for (let i = 0; i < sorted.length; i++) {
      const prepared = await reader.take(i);
      records.push(await writeEntry(out, sorted[i], prepared, time));
      if (sorted[i].kind !== 'dir') files++;
      unzippedSize += prepared.size;
    }
    const centralOffset = out.position;
    for (const record of records) await out.write(fmt.centralHeader(record, time));
    await out.write(fmt.endRecords(records.length, centralOffset, out.position - centralOffset));
    const { sha256, size } = await out.close();
    return { path: outFile, sha256, size, files, unzippedSize, entries: records.length };
  } finally {
    await out.abort();
    await pool?.close();
    if (spoolDir) await rm(spoolDir, { recursive: true, force: true });
  }
}

/** Awaited in order later; meanwhile an early failure must not count as an unhandled rejection. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

function fromWorker(r: DeflateResult): Prepared {
  const data = Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength);
  return { method: r.method, crc: r.crc, compressedSize: data.length, size: r.size, data };
}

function modeOf(e: ZipSource): number {
  if (e.kind === 'dir') return fmt.MODE_DIR;
  if (e.kind === 'symlink') return fmt.MODE_SYMLINK;
  return e.executable ? fmt.MODE_EXECUTABLE : fmt.MODE_FILE;
}

function stored(data: Buffer, crc: number): Prepared {
  return { method: fmt.METHOD_STORE, crc, compressedSize: data.length, size: data.length, data };
}

/** Folders, symlinks and files too large to hold in memory. */
async function prepareHere(e: ZipSource, level: number, spoolFile: string): Promise<Prepared> {
  if (e.kind === 'dir') return stored(Buffer.alloc(0), 0);
  if (e.kind === 'symlink') {
    const target = Buffer.from(e.target!, 'utf8');
    return stored(target, zlib.crc32(target));
  }
  return spool(e, level, spoolFile);
}

/** A large file: deflated as a stream into a spool file, so memory stays flat whatever its size. */
async function spool(e: ZipSource, level: number, spoolFile: string): Promise<Prepared> {
  let crc = 0;
  let size = 0;
  const measure = new Transform({
    transform(chunk: Buffer, _enc, done) {
      crc = zlib.crc32(chunk, crc);
      size += chunk.length;
      done(null, chunk);
    },
  });
  const sink = createWriteStream(spoolFile);
  await pipeline(createReadStream(e.source!), measure, zlib.createDeflateRaw({ level }), sink);
  const compressedSize = sink.bytesWritten;
  if (compressedSize >= size) {
    await rm(spoolFile, { force: true });
    return { method: fmt.METHOD_STORE, crc, compressedSize: size, size, data: { file: e.source! } };
  }
  return { method: fmt.METHOD_DEFLATE, crc, compressedSize, size, data: { file: spoolFile } };
}
