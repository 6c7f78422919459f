import type { EmuRequest, EmuResponse } from '../../http.js';
import { header, noSuchKey, ok, preconditionFailed, S3Error } from './errors.js';
import { headerOf, type Checksum } from './checksums.js';
import { expirationHeader } from './lifecycle.js';
import { readPayload } from './payload.js';
import { objectChecksum, type Bucket, type ObjectHeaders, type S3Object } from './store.js';

export const MAX_KEY_BYTES = 1024;

/** The Content-* headers S3 keeps with an object, from a PUT, CreateMultipartUpload or a REPLACE copy. */
export function storedHeaders(req: EmuRequest): ObjectHeaders {
  return {
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    cacheControl: header(req, 'cache-control'),
    contentDisposition: header(req, 'content-disposition'),
    // aws-chunked is how the body travelled, not how it is stored.
    contentEncoding:
      header(req, 'content-encoding')
        ?.split(',')
        .map((e) => e.trim())
        .filter((e) => e && e !== 'aws-chunked')
        .join(',') || undefined,
    contentLanguage: header(req, 'content-language'),
    expires: header(req, 'expires'),
  };
}

export function requestMetadata(req: EmuRequest): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
  }
  return metadata;
}

/** `x-amz-tagging: k1=v1&k2=v2` (URL-encoded), at most 10 tags as S3 allows on an object. */
export function requestTags(req: EmuRequest): Record<string, string> {
  const text = header(req, 'x-amz-tagging');
  if (!text) return {};
  const tags = Object.fromEntries(new URLSearchParams(text));
  if (Object.keys(tags).length > 10) throw new S3Error(400, 'BadRequest', 'Object tags cannot be greater than 10');
  return tags;
}

export function checkKey(key: string): void {
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new S3Error(400, 'KeyTooLongError', 'Your key is too long', {
      Size: Buffer.byteLength(key),
      MaxSizeAllowed: MAX_KEY_BYTES,
    });
  }
}

const sameEtag = (a: string, b: string) => a.replace(/"/g, '') === b.replace(/"/g, '') || a.trim() === '*';

/** If-Match / If-None-Match of a write (PutObject, CopyObject, CompleteMultipartUpload): S3's conditional writes. */
export function checkWriteConditions(req: EmuRequest, existing: S3Object | undefined, key: string): void {
  const ifNoneMatch = header(req, 'if-none-match');
  const ifMatch = header(req, 'if-match');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') {
      throw new S3Error(501, 'NotImplemented', 'A header you provided implies functionality that is not implemented', {
        Header: 'If-None-Match',
      });
    }
    if (existing) throw preconditionFailed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    if (!existing) throw noSuchKey(key);
    if (!sameEtag(ifMatch, existing.etag)) throw preconditionFailed('If-Match');
  }
}

export function checksumHeaders(checksum: Checksum): Record<string, string> {
  return { [headerOf(checksum.algorithm)]: checksum.value, 'x-amz-checksum-type': checksum.type };
}

function objectHeaders(
  bucket: Bucket,
  key: string,
  object: S3Object,
  req: EmuRequest,
): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'content-type': object.contentType,
    'accept-ranges': 'bytes',
    'x-amz-server-side-encryption': object.sse ?? 'AES256',
    ...expirationHeader(bucket.lifecycle, key, { ...object, size: object.body.length }),
  };
  const optional: [string, string | undefined][] = [
    ['cache-control', object.cacheControl],
    ['content-disposition', object.contentDisposition],
    ['content-encoding', object.contentEncoding],
    ['content-language', object.contentLanguage],
    ['expires', object.expires],
  ];
  for (const [name, value] of optional) if (value !== undefined) headers[name] = value;
  for (const [k, v] of Object.entries(object.metadata)) headers[`x-amz-meta-${k}`] = v;
  const tagCount = Object.keys(object.tags).length;
  if (tagCount && req.method === 'GET') headers['x-amz-tagging-count'] = tagCount;
  const partNumber = req.url.searchParams.get('partNumber');
  if (partNumber && object.partsCount) headers['x-amz-mp-parts-count'] = object.partsCount;
  const ranged = header(req, 'range') !== undefined;
  if (String(header(req, 'x-amz-checksum-mode') ?? '').toUpperCase() === 'ENABLED' && !ranged) {
    Object.assign(headers, checksumHeaders(objectChecksum(object)));
  }
  return headers;
}

/** GET/HEAD conditions, in the order S3 applies them (RFC 7232): 412 before 304. */
function readConditions(req: EmuRequest, object: S3Object): 304 | undefined {
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const ifModifiedSince = header(req, 'if-modified-since');
  const ifUnmodifiedSince = header(req, 'if-unmodified-since');
  const modified = Math.floor(object.lastModified.getTime() / 1000) * 1000;
  if (ifMatch !== undefined && !sameEtag(ifMatch, object.etag)) throw preconditionFailed('If-Match');
  if (ifMatch === undefined && ifUnmodifiedSince && modified > Date.parse(ifUnmodifiedSince)) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (ifNoneMatch !== undefined && sameEtag(ifNoneMatch, object.etag)) return 304;
  if (ifNoneMatch === undefined && ifModifiedSince && modified <= Date.parse(ifModifiedSince)) return 304;
  return undefined;
}

function range(req: EmuRequest, size: number): { start: number; end: number } | undefined {
  const text = header(req, 'range');
  const match = text ? /^bytes=(\d*)-(\d*)$/.exec(text.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (match[1] === '') {
    start = Math.max(0, size - Number(match[2]));
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || start > end) {
    throw new S3Error(416, 'InvalidRange', 'The requested range is not satisfiable', {
      RangeRequested: text ?? '',
      ActualObjectSize: size,
    });
  }
  return { start, end };
}

/** GetObject and HeadObject. */
export function readObject(req: EmuRequest, bucket: Bucket, key: string): EmuResponse {
  const object = bucket.objects.get(key);
  if (!object) throw noSuchKey(key);
  const headers = objectHeaders(bucket, key, object, req);
  if (readConditions(req, object) === 304) {
    const { etag, 'last-modified': lastModified } = headers;
    return ok(304, { etag, 'last-modified': lastModified });
  }
  const size = object.body.length;
  const wanted = range(req, size);
  if (wanted) {
    headers['content-range'] = `bytes ${wanted.start}-${wanted.end}/${size}`;
    const body = object.body.subarray(wanted.start, wanted.end + 1);
    return req.method === 'HEAD' ? ok(206, { ...headers, 'content-length': body.length }) : ok(206, headers, body);
  }
  return req.method === 'HEAD' ? ok(200, { ...headers, 'content-length': size }) : ok(200, headers, object.body);
}

/** PutObject: the body verified (Content-MD5, x-amz-checksum-*), stored with its checksum as FULL_OBJECT. */
export function putObject(req: EmuRequest, bucket: Bucket, key: string, put: PutFn): EmuResponse {
  checkKey(key);
  checkWriteConditions(req, bucket.objects.get(key), key);
  const payload = readPayload(req);
  const tags = requestTags(req);
  const checksum: Checksum | undefined = payload.checksum && { ...payload.checksum, type: 'FULL_OBJECT' };
  const object = put(bucket, key, payload.body, {
    ...storedHeaders(req),
    metadata: requestMetadata(req),
    checksum,
    tags,
    sse: bucket.encryption.algorithm,
  });
  return ok(200, {
    etag: object.etag,
    'x-amz-server-side-encryption': object.sse ?? 'AES256',
    ...(checksum ? checksumHeaders(checksum) : {}),
    ...expirationHeader(bucket.lifecycle, key, { ...object, size: object.body.length }),
  });
}

export type PutFn = (
  bucket: Bucket,
  key: string,
  body: Buffer,
  fields: Partial<Omit<S3Object, 'body' | 'lastModified'>>,
) => S3Object;
