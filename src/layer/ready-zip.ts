/**
 * A ready `.zip` given as `path`: read through once with yauzl to prove it is whole and safe, then used byte for byte.
 */
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import { ConfigurationError, errorMessage } from '../errors.js';
import { checkLinks, type TreeEntry } from './walk.js';
import { METHOD_DEFLATE, METHOD_STORE } from './zip-format.js';

export interface ZipContents {
  entries: TreeEntry[];
  /** Non-folder entries. */
  files: number;
  unzippedSize: number;
}

const MAX_LINK_TARGET = 4096;

function unusable(zipPath: string, why: string): ConfigurationError {
  return new ConfigurationError(`Input 'path': ${zipPath} is not a usable layer zip: ${why.replace(/\.+$/, '')}.`);
}

/**
 * Every entry is decompressed and its CRC checked (a truncated upload or a corrupt file is refused here, not by
 * Lambda); names must be relative, without '..' or backslashes, and unique; symlinks must stay inside the zip.
 */
export async function inspectZip(zipPath: string): Promise<ZipContents> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(zipPath, {
      lazyEntries: true,
      autoClose: false,
      strictFileNames: true,
      validateEntrySizes: true,
    });
  } catch (err) {
    throw unusable(zipPath, errorMessage(err));
  }
  const entries: TreeEntry[] = [];
  const seen = new Set<string>();
  let unzippedSize = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      const isDir = entry.fileName.endsWith('/');
      const name = entry.fileName.replace(/\/+$/, '');
      if (name === '' || name.split('/').some((s) => s === '' || s === '.')) {
        throw unusable(zipPath, `entry '${entry.fileName}' has an empty or '.' path segment`);
      }
      if (seen.has(name)) throw unusable(zipPath, `entry '${name}' appears twice`);
      seen.add(name);
      if (entry.isEncrypted()) throw unusable(zipPath, `entry '${name}' is encrypted`);
      if (entry.compressionMethod !== METHOD_STORE && entry.compressionMethod !== METHOD_DEFLATE) {
        throw unusable(zipPath, `entry '${name}' uses compression method ${entry.compressionMethod}; use deflate`);
      }
      const mode = entry.externalFileAttributes >>> 16;
      const isLink = (mode & 0o170000) === 0o120000;
      const data = await readEntry(zip, entry, isLink);
      unzippedSize += entry.uncompressedSize;
      entries.push({
        path: name,
        kind: isDir ? 'dir' : isLink ? 'symlink' : 'file',
        size: entry.uncompressedSize,
        executable: (mode & 0o111) !== 0,
        source: zipPath,
        ...(isLink ? { target: data } : {}),
      });
    }
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    throw unusable(zipPath, errorMessage(err));
  } finally {
    zip.close();
  }
  checkLinks(entries);
  return { entries, files: entries.filter((e) => e.kind !== 'dir').length, unzippedSize };
}

/** Decompresses an entry, checking its CRC-32; returns a symlink's target text. */
async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, keepText: boolean): Promise<string | undefined> {
  if (keepText && entry.uncompressedSize > MAX_LINK_TARGET) throw new Error(`symlink '${entry.fileName}' is too long`);
  // Readers that stream a zip go by the local headers: a name there unlike the central directory's is a disguise.
  const local = await zip.readLocalFileHeaderPromise(entry);
  if (!local.fileName.equals(entry.fileNameRaw)) {
    throw new Error(`entry '${entry.fileName}' has another name in its local header`);
  }
  const stream: Readable = await zip.openReadStreamPromise(entry);
  let crc = 0;
  const kept: Buffer[] = [];
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    crc = zlib.crc32(chunk, crc);
    if (keepText) kept.push(chunk);
  }
  if (crc >>> 0 !== entry.crc32 >>> 0) throw new Error(`entry '${entry.fileName}' fails its CRC check`);
  return keepText ? Buffer.concat(kept).toString('utf8') : undefined;
}
