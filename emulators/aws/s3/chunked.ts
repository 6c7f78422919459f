import type { IncomingHttpHeaders } from 'node:http';

export interface DecodedBody {
  body: Buffer;
  /** Trailing headers of an aws-chunked body (where the SDK sends x-amz-checksum-*). */
  trailers: Record<string, string>;
}

/** True when the body uses the aws-chunked encoding the SDK picks for streamed uploads. */
export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const encoding = String(headers['content-encoding'] ?? '');
  const sha = String(headers['x-amz-content-sha256'] ?? '');
  return encoding.split(',').some((e) => e.trim() === 'aws-chunked') || sha.startsWith('STREAMING-');
}

/**
 * Decodes `<hex size>[;chunk-signature=...]\r\n<data>\r\n ... 0\r\n<trailer: value>\r\n\r\n`.
 * Signatures are not checked: the emulator does not verify SigV4 at all.
 */
export function decodeAwsChunked(raw: Buffer): DecodedBody {
  const parts: Buffer[] = [];
  const trailers: Record<string, string> = {};
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('aws-chunked body ends inside a chunk header');
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked body has a malformed chunk size');
    at = lineEnd + 2;
    if (size === 0) break;
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  for (const line of raw.subarray(at).toString('latin1').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(parts), trailers };
}
