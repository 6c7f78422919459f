/**
 * Multipart uploads as S3 checks them: part numbers 1-10,000, parts of at least 5 MiB but the last, a complete
 * request listing parts in ascending order with their ETags (and checksums, for a composite upload), the object's
 * ETag and checksum computed from the parts, and a repeated CompleteMultipartUpload answered as the first was (the
 * SDK retries a complete whose answer it lost).
 */
import { randomBytes } from 'node:crypto';
import type { EmuRequest, EmuResponse } from '../../http.js';
import type { AwsContext } from '../context.js';
import { tag } from '../protocol.js';
import {
  algorithmOf,
  checksumOf,
  compositeOf,
  defaultType,
  headerOf,
  memberOf,
  md5Etag,
  multipartEtag,
  typeAllowed,
  type Checksum,
  type ChecksumType,
} from './checksums.js';
import { header, invalidArgument, invalidRequest, isoDate, malformedXml, ok, S3Error, xmlResult } from './errors.js';
import { abortHeaders, expirationHeader } from './lifecycle.js';
import { checkKey, checkWriteConditions, requestMetadata, requestTags, storedHeaders } from './objects.js';
import { readPayload } from './payload.js';
import type { Bucket, Upload } from './store.js';
import { childText, children, parseXml } from './xml.js';

export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;

const noSuchUpload = (id: string): S3Error =>
  new S3Error(
    404,
    'NoSuchUpload',
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
    { UploadId: id },
  );

function upload(bucket: Bucket, key: string, id: string): Upload {
  const found = bucket.uploads.get(id);
  if (!found || found.key !== key) throw noSuchUpload(id);
  return found;
}

export function createMultipartUpload(ctx: AwsContext, req: EmuRequest, bucket: Bucket, key: string): EmuResponse {
  checkKey(key);
  const requested = header(req, 'x-amz-checksum-algorithm');
  const algorithm = requested === undefined ? undefined : algorithmOf(requested);
  if (requested !== undefined && (!algorithm || ['SHA512', 'MD5'].includes(algorithm))) {
    throw invalidArgument('Checksum algorithm provided is unsupported.', 'x-amz-checksum-algorithm', requested);
  }
  const typeText = header(req, 'x-amz-checksum-type')?.toUpperCase();
  if (typeText !== undefined && typeText !== 'FULL_OBJECT' && typeText !== 'COMPOSITE') {
    throw invalidRequest('Value for x-amz-checksum-type header is invalid.');
  }
  if (typeText && !algorithm) {
    throw invalidRequest('The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.');
  }
  const type = algorithm ? ((typeText as ChecksumType | undefined) ?? defaultType(algorithm)) : undefined;
  if (algorithm && type && !typeAllowed(algorithm, type)) {
    throw invalidRequest(
      `The ${type} checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`,
    );
  }
  const id = randomBytes(48).toString('base64url');
  const initiated = new Date();
  bucket.uploads.set(id, {
    id,
    key,
    initiated,
    initiator: ctx.caller(req).arn,
    account: ctx.caller(req).account,
    algorithm,
    type,
    ...storedHeaders(req),
    metadata: requestMetadata(req),
    tags: requestTags(req),
    parts: new Map(),
  });
  const sums: Record<string, string> = algorithm
    ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': type ?? '' }
    : {};
  return xmlResult(
    'InitiateMultipartUploadResult',
    `${tag('Bucket', bucket.name)}${tag('Key', key)}${tag('UploadId', id)}`,
    {
      ...sums,
      ...abortHeaders(bucket.lifecycle, key, initiated),
      'x-amz-server-side-encryption': bucket.encryption.algorithm,
    },
  );
}

function partNumber(req: EmuRequest): number {
  const text = req.url.searchParams.get('partNumber') ?? '';
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PARTS) {
    throw invalidArgument(`Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`, 'partNumber', text);
  }
  return n;
}

export function uploadPart(req: EmuRequest, bucket: Bucket, key: string, id: string): EmuResponse {
  const number = partNumber(req);
  const target = upload(bucket, key, id);
  const payload = readPayload(req);
  if (target.algorithm && payload.checksum && payload.checksum.algorithm !== target.algorithm) {
    throw invalidRequest(
      `Checksum Type mismatch occurred, expected checksum Type: ${target.algorithm.toLowerCase()}, actual checksum Type: ${payload.checksum.algorithm.toLowerCase()}`,
    );
  }
  // A composite upload keeps each part's checksum (sent, or computed: S3 computes what the client left out).
  const checksum = target.algorithm
    ? (payload.checksum?.value ?? checksumOf(target.algorithm, payload.body))
    : undefined;
  const etag = md5Etag(payload.body);
  target.parts.set(number, { body: payload.body, etag, lastModified: new Date(), checksum });
  return ok(200, {
    etag,
    'x-amz-server-side-encryption': bucket.encryption.algorithm,
    ...(target.algorithm && checksum ? { [headerOf(target.algorithm)]: checksum } : {}),
  });
}

interface Listed {
  number: number;
  etag: string;
  checksum?: string;
}

function listedParts(req: EmuRequest, target: Upload): Listed[] {
  const root = parseXml(req.body.toString('utf8'));
  if (!root || root.name !== 'CompleteMultipartUpload') throw malformedXml();
  const nodes = children(root, 'Part');
  if (nodes.length === 0) {
    throw new S3Error(400, 'MalformedXML', 'You must specify at least one part');
  }
  return nodes.map((node) => {
    const number = Number(childText(node, 'PartNumber'));
    const etag = childText(node, 'ETag');
    if (!Number.isInteger(number) || etag === undefined) throw malformedXml();
    const checksum = target.algorithm ? childText(node, memberOf(target.algorithm)) : undefined;
    return { number, etag, checksum };
  });
}

const invalidPart = (number: number, etag: string) =>
  new S3Error(
    400,
    'InvalidPart',
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.",
    { PartNumber: number, ETag: etag },
  );

export function completeMultipartUpload(req: EmuRequest, bucket: Bucket, key: string, id: string): EmuResponse {
  const signature = req.body.toString('utf8');
  const done = bucket.completed.get(id);
  if (done && done.signature === signature) return { ...done.answer };
  const target = upload(bucket, key, id);
  const listed = listedParts(req, target);
  listed.forEach((part, i) => {
    if (i > 0 && part.number <= listed[i - 1].number) {
      throw new S3Error(
        400,
        'InvalidPartOrder',
        'The list of parts was not in ascending order. Parts must be ordered by part number.',
      );
    }
  });
  const parts = listed.map((part) => {
    const stored = target.parts.get(part.number);
    if (!stored || stored.etag.replace(/"/g, '') !== part.etag.replace(/"/g, ''))
      throw invalidPart(part.number, part.etag);
    if (target.type === 'COMPOSITE' && part.checksum === undefined) {
      throw invalidRequest(
        `The upload was created using a ${target.algorithm?.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${part.number} in the request.`,
      );
    }
    if (part.checksum !== undefined && part.checksum !== stored.checksum) throw invalidPart(part.number, part.etag);
    return stored;
  });
  parts.slice(0, -1).forEach((part, i) => {
    if (part.body.length < MIN_PART_BYTES) {
      throw new S3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', {
        ProposedSize: part.body.length,
        MinSizeAllowed: MIN_PART_BYTES,
        PartNumber: listed[i].number,
        ETag: part.etag,
      });
    }
  });
  checkWriteConditions(req, bucket.objects.get(key), key);
  const body = Buffer.concat(parts.map((p) => p.body));
  let checksum: Checksum | undefined;
  if (target.algorithm && target.type === 'COMPOSITE') {
    checksum = {
      algorithm: target.algorithm,
      value: compositeOf(
        target.algorithm,
        parts.map((p) => p.checksum ?? ''),
      ),
      type: 'COMPOSITE',
    };
  } else if (target.algorithm) {
    const value = checksumOf(target.algorithm, body);
    const claimed = header(req, headerOf(target.algorithm));
    if (claimed !== undefined && claimed !== value) {
      throw new S3Error(
        400,
        'BadDigest',
        `The ${target.algorithm} you specified did not match the calculated checksum.`,
      );
    }
    checksum = { algorithm: target.algorithm, value, type: 'FULL_OBJECT' };
  }
  const object = {
    body,
    etag: multipartEtag(parts.map((p) => p.etag)),
    lastModified: new Date(),
    contentType: target.contentType,
    cacheControl: target.cacheControl,
    contentDisposition: target.contentDisposition,
    contentEncoding: target.contentEncoding,
    contentLanguage: target.contentLanguage,
    expires: target.expires,
    metadata: target.metadata,
    tags: target.tags,
    checksum,
    partsCount: parts.length,
    sse: bucket.encryption.algorithm,
  };
  bucket.objects.set(key, object);
  bucket.uploads.delete(id);
  const sums = checksum
    ? `${tag(memberOf(checksum.algorithm), checksum.value)}${tag('ChecksumType', checksum.type)}`
    : '';
  const answer = xmlResult(
    'CompleteMultipartUploadResult',
    `${tag('Location', `${req.baseUrl}/${bucket.name}/${encodeURI(key)}`)}${tag('Bucket', bucket.name)}${tag('Key', key)}` +
      `${tag('ETag', object.etag)}${sums}`,
    {
      'x-amz-server-side-encryption': object.sse,
      ...expirationHeader(bucket.lifecycle, key, { ...object, size: body.length }),
    },
  );
  bucket.completed.set(id, {
    signature,
    answer: { status: answer.status, headers: answer.headers ?? {}, body: String(answer.body) },
  });
  return answer;
}

export function abortMultipartUpload(bucket: Bucket, key: string, id: string): EmuResponse {
  upload(bucket, key, id);
  bucket.uploads.delete(id);
  return ok(204);
}

export function listParts(bucket: Bucket, key: string, id: string): EmuResponse {
  const target = upload(bucket, key, id);
  const parts = [...target.parts]
    .sort(([a], [b]) => a - b)
    .map(
      ([n, p]) =>
        `<Part>${tag('PartNumber', n)}${tag('LastModified', isoDate(p.lastModified))}${tag('ETag', p.etag)}` +
        `${tag('Size', p.body.length)}${target.algorithm && p.checksum ? tag(memberOf(target.algorithm), p.checksum) : ''}</Part>`,
    )
    .join('');
  return xmlResult(
    'ListPartsResult',
    `${tag('Bucket', bucket.name)}${tag('Key', key)}${tag('UploadId', id)}${tag('MaxParts', 1000)}` +
      `${tag('IsTruncated', false)}${parts}${tag('StorageClass', 'STANDARD')}${tag('ChecksumAlgorithm', target.algorithm)}` +
      `${tag('ChecksumType', target.type)}`,
  );
}

/** ListMultipartUploads (`GET /bucket?uploads&prefix=`): the uploads begun and neither completed nor aborted. */
export function listMultipartUploads(req: EmuRequest, bucket: Bucket): EmuResponse {
  const prefix = req.url.searchParams.get('prefix') ?? '';
  const uploads = [...bucket.uploads.values()]
    .filter((u) => u.key.startsWith(prefix))
    .sort((a, b) => a.key.localeCompare(b.key) || a.initiated.getTime() - b.initiated.getTime())
    .map(
      (u) =>
        `<Upload>${tag('Key', u.key)}${tag('UploadId', u.id)}<Initiator>${tag('ID', u.initiator)}</Initiator>` +
        `${tag('StorageClass', 'STANDARD')}${tag('Initiated', isoDate(u.initiated))}${tag('ChecksumAlgorithm', u.algorithm)}` +
        `${tag('ChecksumType', u.type)}</Upload>`,
    )
    .join('');
  return xmlResult(
    'ListMultipartUploadsResult',
    `${tag('Bucket', bucket.name)}${tag('Prefix', prefix)}${tag('MaxUploads', 1000)}${tag('IsTruncated', false)}${uploads}`,
  );
}
