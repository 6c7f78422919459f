/**
 * S3's flexible checksums, computed here rather than taken from the SDK, so that the emulator checks what clients
 * send instead of agreeing with them by construction. Values are base64 of the big-endian digest, as S3 sends them.
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';

export const ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256', 'SHA512', 'MD5'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];
/** Algorithms botocore's model lists that the emulator cannot compute: refused, never stored unchecked. */
export const UNSUPPORTED_ALGORITHMS = ['XXHASH64', 'XXHASH3', 'XXHASH128'];
export type ChecksumType = 'FULL_OBJECT' | 'COMPOSITE';

export interface Checksum {
  algorithm: Algorithm;
  /** base64, with `-N` after it for a composite checksum of N parts. */
  value: string;
  type: ChecksumType;
}

export const headerOf = (algorithm: string): string => `x-amz-checksum-${algorithm.toLowerCase()}`;
/** The member name in XML answers and in CompleteMultipartUpload's parts (ChecksumCRC32, ChecksumSHA256, ...). */
export const memberOf = (algorithm: string): string => `Checksum${algorithm}`;

export function algorithmOf(value: string | undefined): Algorithm | undefined {
  const upper = value?.toUpperCase();
  return (ALGORITHMS as readonly string[]).includes(upper ?? '') ? (upper as Algorithm) : undefined;
}

function reflectedTable32(poly: number): Uint32Array {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
}

const CRC32C_TABLE = reflectedTable32(0x82f63b78);

function crc32c(data: Buffer): Buffer {
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = CRC32C_TABLE[(crc ^ data[i]) & 0xff] ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out;
}

/** CRC-64/NVME (reflected 0x9a6c9329ac4bc9b5), as two 32-bit halves: BigInt per byte would be far slower. */
const CRC64_TABLE = (() => {
  const hi = new Uint32Array(256);
  const lo = new Uint32Array(256);
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    hi[i] = Number(c >> 32n);
    lo[i] = Number(c & 0xffffffffn);
  }
  return { hi, lo };
})();

function crc64nvme(data: Buffer): Buffer {
  let hi = 0xffffffff;
  let lo = 0xffffffff;
  const { hi: th, lo: tl } = CRC64_TABLE;
  for (let i = 0; i < data.length; i++) {
    const index = (lo ^ data[i]) & 0xff;
    lo = (((lo >>> 8) | (hi << 24)) ^ tl[index]) >>> 0;
    hi = ((hi >>> 8) ^ th[index]) >>> 0;
  }
  const out = Buffer.alloc(8);
  out.writeUInt32BE((hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

/** The raw digest of `data` (not base64). */
export function digest(algorithm: Algorithm, data: Buffer): Buffer {
  switch (algorithm) {
    case 'CRC32': {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(zlib.crc32(data) >>> 0);
      return out;
    }
    case 'CRC32C':
      return crc32c(data);
    case 'CRC64NVME':
      return crc64nvme(data);
    default:
      return createHash(algorithm.toLowerCase()).update(data).digest();
  }
}

export const checksumOf = (algorithm: Algorithm, data: Buffer): string => digest(algorithm, data).toString('base64');

/** S3's checksum of a multipart object made of parts with these (base64) checksums: digest of the digests, `-N`. */
export function compositeOf(algorithm: Algorithm, parts: string[]): string {
  const joined = Buffer.concat(parts.map((p) => Buffer.from(p, 'base64')));
  return `${checksumOf(algorithm, joined)}-${parts.length}`;
}

/** S3's ETag of a multipart object: the MD5 of the parts' binary MD5s, `-N`, in quotes. */
export function multipartEtag(partEtags: string[]): string {
  const joined = Buffer.concat(partEtags.map((e) => Buffer.from(e.replace(/"/g, ''), 'hex')));
  return `"${createHash('md5').update(joined).digest('hex')}-${partEtags.length}"`;
}

export const md5Etag = (data: Buffer): string => `"${createHash('md5').update(data).digest('hex')}"`;

/** Which algorithms may make a checksum of which type (S3's rules since full-object checksums, 2025). */
export function typeAllowed(algorithm: Algorithm, type: ChecksumType): boolean {
  if (type === 'FULL_OBJECT') return ['CRC32', 'CRC32C', 'CRC64NVME'].includes(algorithm);
  return algorithm !== 'CRC64NVME';
}

/** The type a multipart upload gets when CreateMultipartUpload names an algorithm but no type. */
export const defaultType = (algorithm: Algorithm): ChecksumType =>
  algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
