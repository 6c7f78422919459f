import { createHash } from 'node:crypto';
import type { EmuRequest } from '../../http.js';
import { ALGORITHMS, checksumOf, digest, headerOf, UNSUPPORTED_ALGORITHMS, type Algorithm } from './checksums.js';
import { decodeAwsChunked, isAwsChunked } from './chunked.js';
import { header, invalidRequest, S3Error } from './errors.js';

export interface Payload {
  body: Buffer;
  /** The one x-amz-checksum-* the client sent (header or aws-chunked trailer), already checked against the body. */
  checksum?: { algorithm: Algorithm; value: string };
  /** Content-MD5, checked. */
  md5?: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The request body as S3 reads it: aws-chunked decoded, Content-MD5 and the x-amz-checksum-* value verified
 * (400 InvalidDigest / BadDigest / InvalidRequest as AWS answers them). `integrity`: the operation requires
 * Content-MD5 or a checksum (httpChecksum.requestChecksumRequired in the model: the bucket configuration PUTs and
 * DeleteObjects).
 */
export function readPayload(req: EmuRequest, integrity = false): Payload {
  const decoded = isAwsChunked(req.headers) ? decodeAwsChunked(req.body) : { body: req.body, trailers: {} };
  const body = decoded.body;
  const payload: Payload = { body };
  const md5 = header(req, 'content-md5');
  if (md5 !== undefined) {
    if (!BASE64.test(md5) || Buffer.from(md5, 'base64').length !== 16) {
      throw new S3Error(400, 'InvalidDigest', 'The Content-MD5 you specified was invalid.', { 'Content-MD5': md5 });
    }
    const calculated = createHash('md5').update(body).digest('base64');
    if (calculated !== md5) {
      throw new S3Error(400, 'BadDigest', 'The Content-MD5 you specified did not match what we received.', {
        ExpectedDigest: Buffer.from(md5, 'base64').toString('hex'),
        CalculatedDigest: calculated,
      });
    }
    payload.md5 = md5;
  }
  const sent: { algorithm: string; value: string }[] = [];
  for (const algorithm of [...ALGORITHMS, ...UNSUPPORTED_ALGORITHMS]) {
    const name = headerOf(algorithm);
    const value = header(req, name) ?? decoded.trailers[name];
    if (value !== undefined) sent.push({ algorithm, value });
  }
  if (sent.length > 1) {
    throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  }
  const sdkAlgorithm = header(req, 'x-amz-sdk-checksum-algorithm');
  if (sent.length === 0 && sdkAlgorithm && !header(req, 'x-amz-trailer')) {
    throw invalidRequest(
      'x-amz-sdk-checksum-algorithm specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.',
    );
  }
  const [one] = sent;
  if (one) {
    if (UNSUPPORTED_ALGORITHMS.includes(one.algorithm)) {
      throw new S3Error(501, 'NotImplemented', `The emulator does not compute ${one.algorithm} checksums.`);
    }
    const algorithm = one.algorithm as Algorithm;
    const size = digest(algorithm, Buffer.alloc(0)).length;
    if (!BASE64.test(one.value) || Buffer.from(one.value, 'base64').length !== size) {
      throw invalidRequest(`Value for ${headerOf(algorithm)} header is invalid.`);
    }
    if (checksumOf(algorithm, body) !== one.value) {
      throw new S3Error(400, 'BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
    }
    payload.checksum = { algorithm, value: one.value };
  }
  if (integrity && !payload.md5 && !payload.checksum) {
    throw invalidRequest('Missing required header for this request: Content-MD5');
  }
  return payload;
}
