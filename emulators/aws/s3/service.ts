import { randomUUID } from 'node:crypto';
import { xml, type EmuRequest, type EmuResponse, type Service } from '../../http.js';
import type { AwsContext } from '../context.js';
import { contentBucket } from '../lambda/state.js';
import { escapeXml, requestRegion, tag } from '../protocol.js';
import { decodeAwsChunked, isAwsChunked } from './chunked.js';
import type { Bucket, S3Object } from './store.js';

const NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const CHECKSUMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'].map((c) => `x-amz-checksum-${c}`);

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

function errorResponse(err: S3Error, method: string): EmuResponse {
  const requestId = randomUUID();
  const fields = Object.entries(err.extra)
    .map(([k, v]) => tag(k, v))
    .join('');
  const body =
    method === 'HEAD'
      ? ''
      : `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${tag('Code', err.code)}${tag('Message', err.message)}${fields}` +
        `${tag('RequestId', requestId)}</Error>`;
  return xml(err.status, body, { 'x-amz-request-id': requestId, ...err.headers });
}

function ok(status: number, headers: Record<string, string | number> = {}, body: Buffer | string = ''): EmuResponse {
  return { status, headers: { 'x-amz-request-id': randomUUID(), ...headers }, body };
}

/** The bucket, as this caller may use it from this region (S3 answers 301 for a bucket of another region). */
function usableBucket(ctx: AwsContext, req: EmuRequest, name: string, region: string): Bucket {
  const bucket = ctx.s3.buckets.get(name);
  if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
  if (bucket.region !== region) {
    throw new S3Error(
      301,
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      { Endpoint: `${name}.s3.${bucket.region}.amazonaws.com`, Bucket: name },
      { 'x-amz-bucket-region': bucket.region },
    );
  }
  if (bucket.account !== ctx.caller(req).account) throw new S3Error(403, 'AccessDenied', 'Access Denied');
  return bucket;
}

function createBucket(ctx: AwsContext, req: EmuRequest, name: string, region: string): EmuResponse {
  if (!BUCKET_NAME.test(name))
    throw new S3Error(400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: name });
  const constraint = /<LocationConstraint>([^<]*)<\/LocationConstraint>/.exec(req.body.toString('utf8'))?.[1];
  if (constraint === 'us-east-1')
    throw new S3Error(400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid');
  const target = constraint || 'us-east-1';
  if (region !== 'us-east-1' && target !== region) {
    const which = constraint ? `The ${constraint}` : 'The unspecified';
    throw new S3Error(
      400,
      'IllegalLocationConstraintException',
      `${which} location constraint is incompatible for the region specific endpoint this request was sent to.`,
    );
  }
  const account = ctx.caller(req).account;
  const existing = ctx.s3.buckets.get(name);
  if (existing && existing.account !== account) {
    throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available.', { BucketName: name });
  }
  if (existing && !(existing.region === 'us-east-1' && target === 'us-east-1')) {
    throw new S3Error(
      409,
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      {
        BucketName: name,
      },
    );
  }
  if (!existing) ctx.s3.create(name, target, account);
  return ok(200, { location: `/${name}` });
}

function objectHeaders(object: S3Object, req: EmuRequest): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    etag: object.etag,
    'last-modified': object.lastModified.toUTCString(),
    'content-type': object.contentType,
    'accept-ranges': 'bytes',
  };
  for (const [k, v] of Object.entries(object.metadata)) headers[`x-amz-meta-${k}`] = v;
  if (String(req.headers['x-amz-checksum-mode'] ?? '').toUpperCase() === 'ENABLED')
    Object.assign(headers, object.checksums);
  return headers;
}

function putObject(ctx: AwsContext, req: EmuRequest, bucket: Bucket, key: string): EmuResponse {
  const decoded = isAwsChunked(req.headers) ? decodeAwsChunked(req.body) : { body: req.body, trailers: {} };
  const checksums: Record<string, string> = {};
  for (const name of CHECKSUMS) {
    const value = req.headers[name] ?? decoded.trailers[name];
    if (typeof value === 'string') checksums[name] = value;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && typeof value === 'string') metadata[name.slice(11)] = value;
  }
  const object = ctx.s3.put(bucket, key, decoded.body, {
    contentType: String(req.headers['content-type'] ?? 'binary/octet-stream'),
    checksums,
    metadata,
  });
  return ok(200, { etag: object.etag, ...checksums });
}

/**
 * GET/HEAD of a layer zip behind a Lambda Content.Location, or of function code behind Code.Location (the URL is
 * presigned, so any caller may use it).
 */
function layerContent(ctx: AwsContext, req: EmuRequest, region: string, key: string): EmuResponse {
  const version = ctx.lambda.contentByKey(region, key) ?? ctx.functions.contentByKey(region, key);
  if (!version) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  const headers = {
    etag: `"${version.codeSha256}"`,
    'content-type': 'application/zip',
    'last-modified': new Date(version.createdDate.replace('+0000', 'Z')).toUTCString(),
  };
  return ok(
    200,
    req.method === 'HEAD' ? { ...headers, 'content-length': version.codeSize } : headers,
    req.method === 'HEAD' ? '' : version.zip,
  );
}

function handle(ctx: AwsContext, req: EmuRequest): EmuResponse {
  const region = requestRegion(req);
  const [, rawBucket = '', ...rest] = req.url.pathname.split('/');
  const name = decodeURIComponent(rawBucket);
  const key = rest.map(decodeURIComponent).join('/');
  if (!name) throw new S3Error(501, 'NotImplemented', 'ListBuckets is not emulated.');
  const lambdaRegion = /^awslambda-(.+)-layers$/.exec(name)?.[1];
  if (lambdaRegion && name === contentBucket(lambdaRegion) && key && ['GET', 'HEAD'].includes(req.method)) {
    return layerContent(ctx, req, lambdaRegion, key);
  }
  if (!key) {
    if (req.method === 'PUT') return createBucket(ctx, req, name, region);
    if (req.method === 'GET' && req.url.searchParams.has('location')) {
      const bucket = ctx.s3.buckets.get(name);
      if (!bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });
      const value = bucket.region === 'us-east-1' ? '' : escapeXml(bucket.region);
      return xml(
        200,
        `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${NAMESPACE}">${value}</LocationConstraint>`,
      );
    }
    const bucket = usableBucket(ctx, req, name, region);
    if (req.method === 'HEAD') return ok(200, { 'x-amz-bucket-region': bucket.region });
    if (req.method === 'DELETE') {
      if (bucket.objects.size) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
      ctx.s3.buckets.delete(name);
      return ok(204);
    }
    throw new S3Error(501, 'NotImplemented', `${req.method} on a bucket is not emulated.`);
  }
  const bucket = usableBucket(ctx, req, name, region);
  if (req.method === 'PUT') return putObject(ctx, req, bucket, key);
  if (req.method === 'DELETE') {
    bucket.objects.delete(key);
    return ok(204);
  }
  const object = bucket.objects.get(key);
  if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
  if (req.method === 'HEAD') return ok(200, { ...objectHeaders(object, req), 'content-length': object.body.length });
  if (req.method === 'GET') return ok(200, objectHeaders(object, req), object.body);
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
}

/** S3, path-style (the endpoint is an IP address): buckets, objects, and the zips behind layer Content.Location. */
export function createS3Service(ctx: AwsContext): Service {
  return {
    name: 's3',
    matches: (req) => req.scope?.service === 's3',
    handle(req) {
      try {
        return handle(ctx, req);
      } catch (err) {
        if (err instanceof S3Error) return errorResponse(err, req.method);
        throw err;
      }
    },
    errorResponse: (kind, retryAfterSeconds) =>
      kind === 'throttle'
        ? errorResponse(
            new S3Error(
              503,
              'SlowDown',
              'Please reduce your request rate.',
              {},
              { 'retry-after': String(retryAfterSeconds) },
            ),
            'GET',
          )
        : errorResponse(
            new S3Error(500, 'InternalError', 'We encountered an internal error. Please try again.'),
            'GET',
          ),
  };
}
