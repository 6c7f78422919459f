/**
 * Pass 2 of the zip inspection (ready-zip.ts): every entry's data inflated once, from the zip in memory, its length
 * and CRC-32 compared with what the central directory declares.
 *
 * yauzl parses the central directory; its per-entry streams (a read stream, an inflate and a byte counter for each
 * entry) cost about 0.5 ms an entry, ten times Info-ZIP's `unzip -t` on a layer of 6,000 small files
 * (`npm run bench -- zip-check`). Small entries are therefore inflated in one synchronous call bounded by their
 * declared size; large ones stream, and stop the moment they pass it, so a lying bomb costs its first chunk.
 */
import zlib from 'node:zlib';
import { METHOD_STORE } from './zip-format.js';

/** What pass 2 needs of a central directory entry (yauzl's Entry has these). */
export interface DataEntry {
  fileName: string;
  fileNameRaw: Buffer;
  relativeOffsetOfLocalHeader: number;
  compressedSize: number;
  uncompressedSize: number;
  compressionMethod: number;
  crc32: number;
}

const LOCAL_HEADER = 0x04034b50;
/** Entries up to this size are inflated in one call (their output buffer is at most this big). */
const SYNC_LIMIT = 4 * 1024 * 1024;

/** The entry's compressed bytes, found through its local header, whose name must be the central directory's. */
function compressedBytes(zip: Buffer, entry: DataEntry): Buffer {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL_HEADER) {
    throw new Error(`entry '${entry.fileName}' has no local header where the central directory says`);
  }
  const nameLength = zip.readUInt16LE(at + 26);
  const extraLength = zip.readUInt16LE(at + 28);
  // Readers that stream a zip go by the local headers: a name there unlike the central directory's is a disguise.
  if (!zip.subarray(at + 30, at + 30 + nameLength).equals(entry.fileNameRaw)) {
    throw new Error(`entry '${entry.fileName}' has another name in its local header`);
  }
  const start = at + 30 + nameLength + extraLength;
  if (start + entry.compressedSize > zip.length) throw new Error(`entry '${entry.fileName}' is cut short`);
  return zip.subarray(start, start + entry.compressedSize);
}

function tooLong(entry: DataEntry): Error {
  return new Error(`entry '${entry.fileName}' inflates to more than the ${entry.uncompressedSize} bytes it declares`);
}

function notDeflate(entry: DataEntry, err: unknown): Error {
  const message = err instanceof Error ? err.message : String(err);
  return new Error(`entry '${entry.fileName}' is not valid deflate data (${message})`);
}

function inflateSmall(data: Buffer, entry: DataEntry): Buffer {
  try {
    // One byte of room above the declared size: getting it means the entry says less than it holds.
    const out = zlib.inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
    if (out.length > entry.uncompressedSize) throw tooLong(entry);
    return out;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLong(entry);
    if (err instanceof Error && err.message.startsWith(`entry '`)) throw err;
    throw notDeflate(entry, err);
  }
}

/** Streams a large entry; returns its CRC-32 and length. Stops at the first chunk past the declared size. */
async function inflateLarge(data: Buffer, entry: DataEntry): Promise<{ crc: number; length: number }> {
  const inflate = zlib.createInflateRaw();
  inflate.end(data);
  let crc = 0;
  let length = 0;
  try {
    for await (const chunk of inflate as AsyncIterable<Buffer>) {
      length += chunk.length;
      if (length > entry.uncompressedSize) throw tooLong(entry);
      crc = zlib.crc32(chunk, crc);
    }
  } catch (err) {
    inflate.destroy();
    if (err instanceof Error && err.message.startsWith(`entry '`)) throw err;
    throw notDeflate(entry, err);
  }
  return { crc, length };
}

/**
 * Inflates one entry, checking its length and CRC; returns its bytes when `keep` (a symlink's target) and the entry
 * is small. Every failure is an Error whose message names the entry.
 */
export async function checkEntryData(zip: Buffer, entry: DataEntry, keep: boolean): Promise<Buffer | undefined> {
  const data = compressedBytes(zip, entry);
  let crc: number;
  let length: number;
  let kept: Buffer | undefined;
  if (entry.compressionMethod === METHOD_STORE) {
    ({ length } = data);
    crc = zlib.crc32(data);
    kept = data;
  } else if (entry.uncompressedSize <= SYNC_LIMIT) {
    kept = inflateSmall(data, entry);
    length = kept.length;
    crc = zlib.crc32(kept);
  } else {
    ({ crc, length } = await inflateLarge(data, entry));
  }
  if (length > entry.uncompressedSize) throw tooLong(entry);
  if (length < entry.uncompressedSize) {
    throw new Error(`entry '${entry.fileName}' holds ${length} bytes, not the ${entry.uncompressedSize} it declares`);
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error(`entry '${entry.fileName}' fails its CRC check`);
  return keep ? kept : undefined;
}
