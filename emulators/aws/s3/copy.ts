/**
 * CopyObject: sent to the destination's region, with `x-amz-copy-source` naming a bucket anywhere in the partition
 * (S3 copies across regions server-side; the caller needs s3:GetObject on the source). UploadPartCopy is not
 * emulated: one CopyObject takes up to 5 GB and a layer zip is far below it.
 */
import type { EmuRequest, EmuResponse } from '../../http.js';
import type { AwsContext } from '../context.js';
import { tag } from '../protocol.js';
import { readableBucket } from './access.js';
import { algorithmOf, checksumOf, memberOf, type Checksum } from './checksums.js';
import {
  header,
  invalidArgument,
  invalidRequest,
  isoDate,
  noSuchKey,
  preconditionFailed,
  S3Error,
  xmlResult,
} from './errors.js';
import { expirationHeader } from './lifecycle.js';
import { checkKey, checkWriteConditions, requestMetadata, requestTags, storedHeaders } from './objects.js';
import type { Bucket, S3Object } from './store.js';

/** `bucket/key`, `/bucket/key` or either with `?versionId=`, URL-encoded as the SDK and the CLI send it. */
function copySource(value: string): { bucket: string; key: string; versionId?: string } {
  const [path, query = ''] = value.split('?');
  let decoded: string;
  try {
    decoded = decodeURIComponent(path).replace(/^\//, '');
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', value);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) {
    throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', value);
  }
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), versionId };
}

const stripQuotes = (etag: string) => etag.trim().replace(/^"|"$/g, '');

/** x-amz-copy-source-if-*: any that does not hold is 412 PreconditionFailed naming it. */
function checkSourceConditions(req: EmuRequest, source: S3Object): void {
  const ifMatch = header(req, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(req, 'x-amz-copy-source-if-none-match');
  const ifModifiedSince = header(req, 'x-amz-copy-source-if-modified-since');
  const ifUnmodifiedSince = header(req, 'x-amz-copy-source-if-unmodified-since');
  const etag = stripQuotes(source.etag);
  const modified = Math.floor(source.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined && !ifMatch.split(',').some((e) => stripQuotes(e) === etag || e.trim() === '*')) {
    throw preconditionFailed('x-amz-copy-source-If-Match');
  }
  if (ifMatch === undefined && ifUnmodifiedSince && modified > Date.parse(ifUnmodifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined && ifNoneMatch.split(',').some((e) => stripQuotes(e) === etag || e.trim() === '*')) {
    throw preconditionFailed('x-amz-copy-source-If-None-Match');
  }
  if (ifNoneMatch === undefined && ifModifiedSince && modified <= Date.parse(ifModifiedSince)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
}

function directive(req: EmuRequest, name: string): 'COPY' | 'REPLACE' {
  const value = header(req, name) ?? 'COPY';
  if (value !== 'COPY' && value !== 'REPLACE') {
    const what = name === 'x-amz-metadata-directive' ? 'metadata' : 'tagging';
    throw invalidArgument(`Unknown ${what} directive.`, name, value);
  }
  return value;
}

export function copyObject(ctx: AwsContext, req: EmuRequest, region: string, bucket: Bucket, key: string): EmuResponse {
  checkKey(key);
  const source = copySource(header(req, 'x-amz-copy-source') ?? '');
  if (source.versionId !== undefined && source.versionId !== 'null') {
    throw invalidArgument('Invalid version id specified', 'versionId', source.versionId);
  }
  const from = readableBucket(ctx, req, source.bucket, region);
  const object = from.objects.get(source.key);
  if (!object) throw noSuchKey(source.key);
  checkSourceConditions(req, object);
  if (object.body.length > ctx.s3.maxCopyBytes) {
    throw invalidRequest(
      `The specified copy source is larger than the maximum allowable size for a copy source: ${ctx.s3.maxCopyBytes}`,
    );
  }
  const metadataDirective = directive(req, 'x-amz-metadata-directive');
  const taggingDirective = directive(req, 'x-amz-tagging-directive');
  const requested = header(req, 'x-amz-checksum-algorithm');
  const algorithm = requested === undefined ? undefined : algorithmOf(requested);
  if (requested !== undefined && (!algorithm || ['SHA512', 'MD5'].includes(algorithm))) {
    throw invalidRequest(
      'Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]',
    );
  }
  const changes =
    metadataDirective === 'REPLACE' ||
    algorithm !== undefined ||
    ['x-amz-storage-class', 'x-amz-server-side-encryption', 'x-amz-website-redirect-location'].some((h) =>
      header(req, h),
    );
  if (from === bucket && source.key === key && !changes) {
    throw invalidRequest(
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
  checkWriteConditions(req, bucket.objects.get(key), key);
  // A copy is one new object: its checksum is of the whole body (the source's algorithm unless another is asked
  // for; a composite source checksum becomes a full-object one), and its ETag the body's MD5.
  const kept = object.checksum?.type === 'FULL_OBJECT' && !algorithm ? object.checksum : undefined;
  const chosen = algorithm ?? object.checksum?.algorithm;
  const checksum: Checksum | undefined =
    kept ?? (chosen ? { algorithm: chosen, value: checksumOf(chosen, object.body), type: 'FULL_OBJECT' } : undefined);
  const replace = metadataDirective === 'REPLACE';
  const copied = ctx.s3.put(bucket, key, object.body, {
    ...(replace ? storedHeaders(req) : pickHeaders(object)),
    metadata: replace ? requestMetadata(req) : { ...object.metadata },
    tags: taggingDirective === 'REPLACE' ? requestTags(req) : { ...object.tags },
    checksum,
    sse: bucket.encryption.algorithm,
  });
  const sums = checksum
    ? `${tag('ChecksumType', checksum.type)}${tag(memberOf(checksum.algorithm), checksum.value)}`
    : '';
  return xmlResult(
    'CopyObjectResult',
    `${tag('ETag', copied.etag)}${tag('LastModified', isoDate(copied.lastModified))}${sums}`,
    {
      'x-amz-server-side-encryption': copied.sse ?? 'AES256',
      ...expirationHeader(bucket.lifecycle, key, { ...copied, size: copied.body.length }),
    },
  );
}

function pickHeaders(object: S3Object): Omit<S3Object, 'body' | 'etag' | 'lastModified' | 'metadata' | 'tags'> {
  const { contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage, expires } = object;
  return { contentType, cacheControl, contentDisposition, contentEncoding, contentLanguage, expires };
}

/** UploadPart with x-amz-copy-source: not emulated (see the module comment). */
export function uploadPartCopyNotEmulated(): S3Error {
  return new S3Error(
    501,
    'NotImplemented',
    'UploadPartCopy is not emulated: CopyObject copies up to 5 GB in one request.',
  );
}
