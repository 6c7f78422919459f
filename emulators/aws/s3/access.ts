import type { EmuRequest } from '../../http.js';
import type { AwsContext } from '../context.js';
import { accessDenied, noSuchBucket, S3Error } from './errors.js';
import type { Bucket } from './store.js';

/** S3's answer for a bucket addressed in the wrong region: 301 with the bucket's region (the SDK and boto3 follow). */
export function permanentRedirect(bucket: Bucket): S3Error {
  return new S3Error(
    301,
    'PermanentRedirect',
    'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
    { Endpoint: `${bucket.name}.s3.${bucket.region}.amazonaws.com`, Bucket: bucket.name },
    { 'x-amz-bucket-region': bucket.region },
  );
}

/**
 * The bucket, as this caller may use it from this region: 404 when no bucket has the name in the region's partition,
 * 301 when it lives in another region, 403 (with its region, as HeadBucket shows it) when another account owns it.
 */
export function usableBucket(ctx: AwsContext, req: EmuRequest, name: string, region: string): Bucket {
  const bucket = ctx.s3.bucket(name, region);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.region !== region) throw permanentRedirect(bucket);
  if (bucket.account !== ctx.caller(req).account) {
    const denied = accessDenied();
    throw new S3Error(denied.status, denied.code, denied.message, {}, { 'x-amz-bucket-region': bucket.region });
  }
  return bucket;
}

/**
 * The source bucket of a copy: any region of the partition (S3 copies across regions server-side), readable by the
 * caller when the caller's account owns it (the emulator models no bucket policies: s3:GetObject on another
 * account's bucket is denied).
 */
export function readableBucket(ctx: AwsContext, req: EmuRequest, name: string, region: string): Bucket {
  const bucket = ctx.s3.bucket(name, region);
  if (!bucket) throw noSuchBucket(name);
  if (bucket.account !== ctx.caller(req).account) throw accessDenied();
  return bucket;
}
