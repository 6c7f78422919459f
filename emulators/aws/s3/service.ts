import type { EmuRequest, EmuResponse, Service } from '../../http.js';
import type { AwsContext } from '../context.js';
import { contentBucket } from '../lambda/state.js';
import { escapeXml, requestRegion } from '../protocol.js';
import { usableBucket } from './access.js';
import { bucketConfiguration, configurationOf, ownershipOf } from './config.js';
import { copyObject, uploadPartCopyNotEmulated } from './copy.js';
import { errorResponse, header, noSuchBucket, noSuchKey, NAMESPACE, ok, S3Error } from './errors.js';
import { deleteObjects, listObjectsV2 } from './listing.js';
import {
  abortMultipartUpload,
  completeMultipartUpload,
  createMultipartUpload,
  listMultipartUploads,
  listParts,
  uploadPart,
} from './multipart.js';
import { putObject, readObject } from './objects.js';
import type { Bucket } from './store.js';

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

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
  const ownership = ownershipOf(header(req, 'x-amz-object-ownership'));
  const account = ctx.caller(req).account;
  const existing = ctx.s3.bucket(name, target);
  if (existing && existing.account !== account) {
    throw new S3Error(409, 'BucketAlreadyExists', 'The requested bucket name is not available.', { BucketName: name });
  }
  if (existing && !(existing.region === 'us-east-1' && target === 'us-east-1')) {
    throw new S3Error(
      409,
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
      { BucketName: name },
    );
  }
  if (!existing) ctx.s3.create(name, target, account, ownership);
  return ok(200, { location: `/${name}` });
}

/**
 * GET/HEAD of a layer zip behind a Lambda Content.Location, or of function code behind Code.Location (the URL is
 * presigned, so any caller may use it).
 */
function layerContent(ctx: AwsContext, req: EmuRequest, region: string, key: string): EmuResponse {
  const version = ctx.lambda.contentByKey(region, key) ?? ctx.functions.contentByKey(region, key);
  if (!version) throw noSuchKey(key);
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

function bucketRequest(ctx: AwsContext, req: EmuRequest, name: string, region: string): EmuResponse {
  const params = req.url.searchParams;
  if (req.method === 'PUT' && !configurationOf(req)) return createBucket(ctx, req, name, region);
  if (req.method === 'GET' && params.has('location')) {
    const bucket = ctx.s3.bucket(name, region);
    if (!bucket) throw noSuchBucket(name);
    const value = bucket.region === 'us-east-1' ? '' : escapeXml(bucket.region);
    return ok(
      200,
      { 'content-type': 'application/xml' },
      `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${NAMESPACE}">${value}</LocationConstraint>`,
    );
  }
  const bucket = usableBucket(ctx, req, name, region);
  const which = configurationOf(req);
  if (which) return bucketConfiguration(req, bucket, which);
  if (req.method === 'HEAD') return ok(200, { 'x-amz-bucket-region': bucket.region });
  if (req.method === 'GET' && params.has('uploads')) return listMultipartUploads(req, bucket);
  if (req.method === 'GET' && params.get('list-type') === '2') return listObjectsV2(req, bucket);
  if (req.method === 'POST' && params.has('delete')) return deleteObjects(req, bucket);
  if (req.method === 'DELETE') {
    if (bucket.objects.size) throw new S3Error(409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty');
    ctx.s3.remove(bucket);
    return ok(204);
  }
  throw new S3Error(501, 'NotImplemented', `${req.method} ${req.url.search || ''} on a bucket is not emulated.`);
}

function objectRequest(ctx: AwsContext, req: EmuRequest, bucket: Bucket, key: string, region: string): EmuResponse {
  const params = req.url.searchParams;
  const uploadId = params.get('uploadId');
  const copying = header(req, 'x-amz-copy-source') !== undefined;
  if (req.method === 'POST' && params.has('uploads')) return createMultipartUpload(ctx, req, bucket, key);
  if (uploadId !== null) {
    if (req.method === 'PUT' && copying) throw uploadPartCopyNotEmulated();
    if (req.method === 'PUT') return uploadPart(req, bucket, key, uploadId);
    if (req.method === 'POST') return completeMultipartUpload(req, bucket, key, uploadId);
    if (req.method === 'DELETE') return abortMultipartUpload(bucket, key, uploadId);
    if (req.method === 'GET') return listParts(bucket, key, uploadId);
  }
  if (req.method === 'PUT' && copying) return copyObject(ctx, req, region, bucket, key);
  if (req.method === 'PUT') return putObject(req, bucket, key, (b, k, body, fields) => ctx.s3.put(b, k, body, fields));
  if (req.method === 'DELETE') {
    bucket.objects.delete(key);
    return ok(204);
  }
  if (req.method === 'GET' || req.method === 'HEAD') return readObject(req, bucket, key);
  throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
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
  if (!key) return bucketRequest(ctx, req, name, region);
  return objectRequest(ctx, req, usableBucket(ctx, req, name, region), key, region);
}

/** The operation's name in S3's API, for the request log and the traffic counters. */
function operation(req: EmuRequest): string {
  const params = req.url.searchParams;
  const [, bucket = '', ...rest] = req.url.pathname.split('/');
  const key = rest.join('/');
  const m = req.method;
  if (!bucket) return 'ListBuckets';
  if (!key) {
    const which = configurationOf(req);
    if (which) {
      const noun = {
        encryption: 'BucketEncryption',
        publicAccessBlock: 'PublicAccessBlock',
        ownershipControls: 'BucketOwnershipControls',
        lifecycle: 'BucketLifecycleConfiguration',
        tagging: 'BucketTagging',
      }[which];
      return `${{ GET: 'Get', PUT: 'Put', DELETE: 'Delete' }[m] ?? m}${noun}`;
    }
    if (m === 'PUT') return 'CreateBucket';
    if (m === 'HEAD') return 'HeadBucket';
    if (m === 'DELETE') return 'DeleteBucket';
    if (m === 'POST' && params.has('delete')) return 'DeleteObjects';
    if (params.has('location')) return 'GetBucketLocation';
    if (params.has('uploads')) return 'ListMultipartUploads';
    return params.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
  }
  const copying = req.headers['x-amz-copy-source'] !== undefined;
  if (m === 'POST' && params.has('uploads')) return 'CreateMultipartUpload';
  if (params.has('uploadId')) {
    if (m === 'PUT') return copying ? 'UploadPartCopy' : 'UploadPart';
    return { POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' }[m] ?? m;
  }
  if (m === 'PUT') return copying ? 'CopyObject' : 'PutObject';
  return { GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[m] ?? m;
}

/**
 * S3, path-style (the endpoint is an IP address): buckets and their configuration, objects (single PUT, multipart,
 * copies across regions), listing and bulk delete, and the zips behind layer Content.Location.
 */
export function createS3Service(ctx: AwsContext): Service {
  return {
    name: 's3',
    matches: (req) => req.scope?.service === 's3',
    operation,
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
