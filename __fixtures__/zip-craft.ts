/**
 * Zips that lie, written byte by byte for tests and the zip-check benchmark: any name (`../x`, `/etc/x`, duplicates),
 * any mode (symlinks), stored or deflated data, declared sizes that differ from the data, broken deflate data, and
 * bombs of gigabytes that cost a few megabytes (and milliseconds) to write.
 */
import { crc32, constants, deflateRawSync } from 'node:zlib';

export interface CraftEntry {
  name: string;
  /** The bytes the entry holds (deflated unless `stored`); or `zeros` for a run of zero bytes. */
  data?: Buffer | string;
  /** MiB of zero bytes, deflated cheaply (for bombs): 1 MiB costs about 1 KB. */
  zerosMiB?: number;
  stored?: boolean;
  /** Unix mode, e.g. 0o120777 for a symlink, 0o40755 for a folder; default 0o100644. */
  mode?: number;
  /** The uncompressed size the headers declare, when it should not be the true one. */
  declaredSize?: number;
  /** Replaces the compressed bytes (broken deflate data). */
  compressed?: Buffer;
  /** The CRC the headers declare, when it should not be the true one (saves computing it for a bomb). */
  crc?: number;
}

const MIB = 1 << 20;
/** One non-final deflate block of 1 MiB of zeros, ending byte-aligned (sync flush): copies of it chain up. */
const ZERO_BLOCK = deflateRawSync(Buffer.alloc(MIB), { finishFlush: constants.Z_SYNC_FLUSH });
/** A final, empty block with fixed codes: ends the stream. */
const FINAL_BLOCK = Buffer.from([0x03, 0x00]);

function zeroStream(mib: number): Buffer {
  return Buffer.concat([...Array.from({ length: mib }, () => ZERO_BLOCK), FINAL_BLOCK]);
}

function zeroCrc(mib: number): number {
  const chunk = Buffer.alloc(MIB);
  let crc = 0;
  for (let i = 0; i < mib; i++) crc = crc32(chunk, crc);
  return crc;
}

export function craftZip(entries: CraftEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const raw = e.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data);
    const size = e.zerosMiB !== undefined ? e.zerosMiB * MIB : raw.length;
    const method = e.stored ? 0 : 8;
    const body =
      e.compressed ?? (e.zerosMiB !== undefined ? zeroStream(e.zerosMiB) : e.stored ? raw : deflateRawSync(raw));
    const crc = e.crc ?? (e.zerosMiB !== undefined ? zeroCrc(e.zerosMiB) : crc32(raw));
    const declared = e.declaredSize ?? size;
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode in the external attributes counts
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += 30 + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * About 4 MB of zip that inflates to 4 GiB of zeros: two entries of 2 GiB (each fits the 32-bit size fields). With
 * `trueCrc` their CRCs are right (a reader that inflates it all finds nothing wrong but the size), at a second or two
 * of computing them.
 */
export function gigabyteBomb(options: { trueCrc?: boolean } = {}): Buffer {
  const crc = options.trueCrc ? {} : { crc: 0 };
  return craftZip([
    { name: 'python/a.bin', zerosMiB: 2048, ...crc },
    { name: 'python/b.bin', zerosMiB: 2048, ...crc },
  ]);
}
