/**
 * `s3-bucket` staging: the zip goes to a bucket in each region, and PublishLayerVersion names the object instead of
 * carrying the zip. Lambda reads the object with the caller's credentials and only from a bucket in the layer's own
 * region, so the bucket name takes a `{region}` placeholder.
 *
 * When `s3-bucket` is given, every region that publishes stages through it, whatever the zip's size: the bucket and
 * its permissions are exercised on every run, not first on the day the zip passes 50 MB. The key is
 * `<s3-prefix><name>/<sha256>.zip`; how the zip gets there (uploaded once, copied by S3 to the other regions) is
 * stager.ts, and `s3-bucket: auto` (a bucket per region made for the account) is auto-bucket.ts.
 */
import { describeAwsError, httpStatusOf } from '../../aws/errors.js';
import { REGION_PLACEHOLDER } from '../../settings/s3-bucket.js';

export function stagingKey(prefix: string, name: string, sha256: string): string {
  return `${prefix}${name}/${sha256}.zip`;
}

export interface StagedZip {
  bucket: string;
  key: string;
  /** How the object got there: this run's upload, a server-side copy from another region's bucket, or found. */
  how: 'uploaded' | 'copied' | 'already there';
  /** For a copy: the region whose bucket it was copied from. */
  from?: string;
}

/**
 * An S3 failure in words, keeping the SDK error's name and status, so that a throttle or a 5xx stays transient for
 * the region's retries (aws/region-retry.ts).
 */
class StagingError extends Error {
  readonly $metadata?: unknown;
  readonly code?: string;

  constructor(message: string, cause: unknown) {
    super(message, { cause });
    const e = cause as { name?: string; code?: string; $metadata?: unknown };
    if (e?.name) this.name = e.name;
    this.code = e?.code;
    this.$metadata = e?.$metadata;
  }
}

/** An S3 failure in words: the wrong region, a missing bucket, a missing permission. */
export function explainS3Error(err: unknown, operation: string, bucket: string, region: string): Error {
  const status = httpStatusOf(err);
  const e = err as { name?: string; $response?: { headers?: Record<string, string> } };
  const home = e.$response?.headers?.['x-amz-bucket-region'];
  if (status === 301 || e.name === 'PermanentRedirect' || e.name === 'AuthorizationHeaderMalformed') {
    const where = home ? `is in ${home}, not ${region}` : `is not in ${region}`;
    return new StagingError(
      `s3-bucket: bucket '${bucket}' ${where}; Lambda reads a layer's zip only from a bucket in the layer's own region (use a ${REGION_PLACEHOLDER} placeholder and a bucket per region)`,
      err,
    );
  }
  if (e.name === 'NoSuchBucket') {
    return new StagingError(
      `s3-bucket: bucket '${bucket}' does not exist; create it in ${region}, or set 's3-bucket: auto' to have a private bucket per region created for you`,
      err,
    );
  }
  // Access denied names the missing s3: permission; anything else names the operation and AWS's message.
  return new StagingError(`s3-bucket '${bucket}': ${describeAwsError(err, operation, 's3')}`, err);
}

export function describeStaged(staged: StagedZip): string {
  const how = staged.how === 'copied' ? `copied from ${staged.from}` : staged.how;
  return `s3://${staged.bucket}/${staged.key} (${how})`;
}
