/**
 * The inspection every layer zip gets before anything is sent to AWS, whatever a manifest says of it: a ready `.zip`
 * given to build as `path`, a `zip` given to publish, and the zip of an artifact.
 *
 * Two passes, so a zip is refused as early as it can be:
 * 1. the central directory alone (nothing inflated): names (relative, no `..`, no backslashes, unique), encryption,
 *    compression methods, and the declared sizes against Lambda's unzipped limit, so a bomb that says what it is
 *    costs nothing; an empty layer is refused here too;
 * 2. one streamed read of every entry, which proves the data inflates and matches its CRC, and stops the moment an
 *    entry inflates past its declared size (a bomb that lies about itself); symlink targets are read on the way and
 *    must stay inside the layer.
 */
import { readFile } from 'node:fs/promises';
import yauzl from 'yauzl';
import { ConfigurationError, errorMessage } from '../errors.js';
import { MAX_UNZIPPED_BYTES } from './limits.js';
import { checkLinks, type TreeEntry } from './walk.js';
import { checkEntryData } from './zip-data.js';
import { METHOD_DEFLATE, METHOD_STORE } from './zip-format.js';

export interface ZipContents {
  entries: TreeEntry[];
  /** Non-folder entries. */
  files: number;
  unzippedSize: number;
}

const MAX_LINK_TARGET = 4096;

/**
 * `where` names the zip as the error should: `Input 'path': layer.zip`, `Input 'zip': out/layer.zip`, or
 * `The layer-1.0.0.zip of artifact 'x' of run 7`. `source` says where its bytes are: a file, or already in memory.
 */
export interface ZipToInspect {
  source: string | Buffer;
  where: string;
}

class Unusable extends ConfigurationError {
  constructor(where: string, why: string) {
    super(`${where} is not a usable layer zip: ${why.replace(/\.+$/, '')}.`);
  }
}

/** yauzl's own name checks, said the way the rest of the errors say things. */
function describeOpenError(err: unknown): string {
  const message = errorMessage(err);
  const match = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/.exec(message);
  if (!match) return message;
  if (match[1] === 'absolute path') return `entry '${match[2]}' has an absolute path`;
  if (match[1] === 'invalid relative path') return `entry '${match[2]}' climbs out of the layer with '..'`;
  return `entry '${match[2]}' has a backslash in its name, which unzip tools read as a folder separator`;
}

/** yauzl reads the central directory (zip64 included); the data is read by zip-data.ts. */
async function open(where: string, bytes: Buffer): Promise<yauzl.ZipFile> {
  try {
    return await yauzl.fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, strictFileNames: true });
  } catch (err) {
    throw new Unusable(where, describeOpenError(err));
  }
}

interface Listed {
  entry: yauzl.Entry;
  name: string;
  kind: TreeEntry['kind'];
  executable: boolean;
}

/** Pass 1: the central directory, checked entry by entry and as a whole; nothing is inflated. */
async function listEntries(file: yauzl.ZipFile, where: string): Promise<Listed[]> {
  const listed: Listed[] = [];
  const seen = new Set<string>();
  let declared = 0;
  try {
    for await (const entry of file.eachEntry()) {
      const isDir = entry.fileName.endsWith('/');
      const name = entry.fileName.replace(/\/+$/, '');
      if (name === '' || name.split('/').some((s) => s === '' || s === '.')) {
        throw new Unusable(where, `entry '${entry.fileName}' has an empty or '.' path segment`);
      }
      if (seen.has(name)) throw new Unusable(where, `entry '${name}' appears twice`);
      seen.add(name);
      if (entry.isEncrypted()) throw new Unusable(where, `entry '${name}' is encrypted`);
      if (entry.compressionMethod !== METHOD_STORE && entry.compressionMethod !== METHOD_DEFLATE) {
        throw new Unusable(where, `entry '${name}' uses compression method ${entry.compressionMethod}; use deflate`);
      }
      const mode = entry.externalFileAttributes >>> 16;
      const isLink = (mode & 0o170000) === 0o120000;
      if (isLink && entry.uncompressedSize > MAX_LINK_TARGET) {
        throw new Unusable(where, `symlink '${name}' has a target of ${entry.uncompressedSize} bytes`);
      }
      declared += entry.uncompressedSize;
      const kind = isDir ? 'dir' : isLink ? 'symlink' : 'file';
      listed.push({ entry, name, kind, executable: (mode & 0o111) !== 0 });
    }
  } catch (err) {
    if (err instanceof ConfigurationError) throw err;
    throw new Unusable(where, describeOpenError(err));
  }
  if (declared > MAX_UNZIPPED_BYTES) {
    throw new Unusable(
      where,
      `its entries declare ${declared} bytes unzipped; Lambda allows at most ${MAX_UNZIPPED_BYTES} bytes (250 MiB) for a function and its layers`,
    );
  }
  if (!listed.some((e) => e.kind !== 'dir')) throw new Unusable(where, 'it holds no files; a layer cannot be empty');
  return listed;
}

/** Inspects a layer zip (see the top of this file); every refusal is one ConfigurationError naming `where`. */
export async function inspectZip(zip: ZipToInspect): Promise<ZipContents> {
  let bytes: Buffer;
  try {
    bytes = typeof zip.source === 'string' ? await readFile(zip.source) : zip.source;
  } catch (err) {
    throw new Unusable(zip.where, errorMessage(err));
  }
  const file = await open(zip.where, bytes);
  const entries: TreeEntry[] = [];
  let unzippedSize = 0;
  try {
    const listed = await listEntries(file, zip.where);
    for (const item of listed) {
      let target: Buffer | undefined;
      try {
        target = await checkEntryData(bytes, item.entry, item.kind === 'symlink');
      } catch (err) {
        throw new Unusable(zip.where, errorMessage(err));
      }
      unzippedSize += item.entry.uncompressedSize;
      entries.push({
        path: item.name,
        kind: item.kind,
        size: item.entry.uncompressedSize,
        executable: item.executable,
        source: typeof zip.source === 'string' ? zip.source : zip.where,
        ...(target !== undefined ? { target: target.toString('utf8') } : {}),
      });
    }
  } finally {
    file.close();
  }
  checkLinks(entries, `${zip.where} is not a usable layer zip`);
  return { entries, files: entries.filter((e) => e.kind !== 'dir').length, unzippedSize };
}
