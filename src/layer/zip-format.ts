/**
 * The bytes of a ZIP file (APPNOTE 6.3.10), written so that the same entries always give the same bytes: one fixed
 * timestamp, Unix permissions reduced to 0644/0755, no owners, no extra fields except ZIP64 where the format needs it.
 */

export const METHOD_STORE = 0;
export const METHOD_DEFLATE = 8;

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const ZIP64_END = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
/** Made by Unix (3), spec 3.0: readers then take permissions from the upper 16 bits of the external attributes. */
const MADE_BY = (3 << 8) | 30;
const NEEDED_DEFAULT = 20;
const NEEDED_ZIP64 = 45;
const FLAG_UTF8 = 1 << 11;
const U32_MAX = 0xffffffff;
const U16_MAX = 0xffff;

export const MODE_FILE = 0o100644;
export const MODE_EXECUTABLE = 0o100755;
export const MODE_DIR = 0o040755;
export const MODE_SYMLINK = 0o120777;

export interface EntryRecord {
  name: Buffer;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  /** Unix mode: one of the MODE_* constants. */
  mode: number;
  /** Offset of the local header from the start of the file. */
  offset: number;
}

export interface DosTime {
  date: number;
  time: number;
}

/**
 * The default timestamp when SOURCE_DATE_EPOCH is unset: 1980-02-01 00:00, like Gradle's reproducible archives. One
 * month past the DOS epoch so that no reader's local-time conversion lands before 1980 (Java refuses such dates).
 */
export const DEFAULT_EPOCH_SECONDS = Date.UTC(1980, 1, 1) / 1000;
const DOS_MIN_SECONDS = Date.UTC(1980, 0, 1) / 1000;
const DOS_MAX_SECONDS = Date.UTC(2107, 11, 31, 23, 59, 58) / 1000;

/** DOS date and time of a Unix time in UTC (the reproducible-builds reading), clamped to what DOS can hold. */
export function dosTime(epochSeconds: number): DosTime {
  const d = new Date(Math.min(Math.max(epochSeconds, DOS_MIN_SECONDS), DOS_MAX_SECONDS) * 1000);
  return {
    date: ((d.getUTCFullYear() - 1980) << 9) | ((d.getUTCMonth() + 1) << 5) | d.getUTCDate(),
    time: (d.getUTCHours() << 11) | (d.getUTCMinutes() << 5) | (d.getUTCSeconds() >> 1),
  };
}

function flagsFor(name: Buffer): number {
  return name.some((b) => b >= 0x80) ? FLAG_UTF8 : 0;
}

/** Local headers carry the final CRC and sizes (no data descriptor): the writer knows them before the data. */
export function localHeader(entry: EntryRecord, time: DosTime): Buffer {
  const b = Buffer.alloc(30 + entry.name.length);
  b.writeUInt32LE(LOCAL_HEADER, 0);
  b.writeUInt16LE(entry.offset >= U32_MAX ? NEEDED_ZIP64 : NEEDED_DEFAULT, 4);
  b.writeUInt16LE(flagsFor(entry.name), 6);
  b.writeUInt16LE(entry.method, 8);
  b.writeUInt16LE(time.time, 10);
  b.writeUInt16LE(time.date, 12);
  b.writeUInt32LE(entry.crc >>> 0, 14);
  b.writeUInt32LE(entry.compressedSize, 18);
  b.writeUInt32LE(entry.size, 22);
  b.writeUInt16LE(entry.name.length, 26);
  b.writeUInt16LE(0, 28);
  entry.name.copy(b, 30);
  return b;
}

/** A central record; an offset past 4 GiB moves into a ZIP64 extra field, the only extra field ever written. */
export function centralHeader(entry: EntryRecord, time: DosTime): Buffer {
  const zip64 = entry.offset >= U32_MAX;
  const extraLength = zip64 ? 12 : 0;
  const b = Buffer.alloc(46 + entry.name.length + extraLength);
  b.writeUInt32LE(CENTRAL_HEADER, 0);
  b.writeUInt16LE(MADE_BY, 4);
  b.writeUInt16LE(zip64 ? NEEDED_ZIP64 : NEEDED_DEFAULT, 6);
  b.writeUInt16LE(flagsFor(entry.name), 8);
  b.writeUInt16LE(entry.method, 10);
  b.writeUInt16LE(time.time, 12);
  b.writeUInt16LE(time.date, 14);
  b.writeUInt32LE(entry.crc >>> 0, 16);
  b.writeUInt32LE(entry.compressedSize, 20);
  b.writeUInt32LE(entry.size, 24);
  b.writeUInt16LE(entry.name.length, 28);
  b.writeUInt16LE(extraLength, 30);
  // comment length, disk number, internal attributes: 0
  const dosDirectory = (entry.mode & 0o170000) === 0o040000 ? 0x10 : 0;
  b.writeUInt32LE(((entry.mode << 16) | dosDirectory) >>> 0, 38);
  b.writeUInt32LE(zip64 ? U32_MAX : entry.offset, 42);
  entry.name.copy(b, 46);
  if (zip64) {
    const at = 46 + entry.name.length;
    b.writeUInt16LE(0x0001, at);
    b.writeUInt16LE(8, at + 2);
    b.writeBigUInt64LE(BigInt(entry.offset), at + 4);
  }
  return b;
}

/**
 * The end records. ZIP64 ones come first when the entry count or an offset does not fit the classic record, which
 * then holds 0xFFFF / 0xFFFFFFFF as the spec asks.
 */
export function endRecords(count: number, centralOffset: number, centralSize: number): Buffer {
  const needZip64 = count >= U16_MAX || centralOffset >= U32_MAX || centralSize >= U32_MAX;
  const parts: Buffer[] = [];
  if (needZip64) {
    const record = Buffer.alloc(56);
    record.writeUInt32LE(ZIP64_END, 0);
    record.writeBigUInt64LE(44n, 4);
    record.writeUInt16LE(MADE_BY, 12);
    record.writeUInt16LE(NEEDED_ZIP64, 14);
    // this disk, disk with the central directory: 0
    record.writeBigUInt64LE(BigInt(count), 24);
    record.writeBigUInt64LE(BigInt(count), 32);
    record.writeBigUInt64LE(BigInt(centralSize), 40);
    record.writeBigUInt64LE(BigInt(centralOffset), 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(ZIP64_LOCATOR, 0);
    locator.writeBigUInt64LE(BigInt(centralOffset + centralSize), 8);
    locator.writeUInt32LE(1, 16);
    parts.push(record, locator);
  }
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(Math.min(count, U16_MAX), 8);
  end.writeUInt16LE(Math.min(count, U16_MAX), 10);
  end.writeUInt32LE(Math.min(centralSize, U32_MAX), 12);
  end.writeUInt32LE(Math.min(centralOffset, U32_MAX), 16);
  parts.push(end);
  return Buffer.concat(parts);
}

/** Sizes of a single entry must fit 32 bits: layers are capped far below (262,144,000 bytes unzipped). */
export function fitsClassicSizes(size: number): boolean {
  return size < U32_MAX;
}
