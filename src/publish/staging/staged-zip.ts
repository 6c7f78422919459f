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
import { lambdaRegions } from '../../aws/partitions.js';
import type { RegionSelection } from '../../aws/regions.js';
import { ConfigurationError } from '../../errors.js';

export const REGION_PLACEHOLDER = '{region}';
/** `s3-bucket: auto`: a bucket per region named from the account (auto-bucket.ts). */
export const AUTO_BUCKET = 'auto';
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const MAX_PREFIX = 512;
// eslint-disable-next-line no-control-regex -- control characters are what a key prefix must not hold
const BAD_PREFIX_CHARS = /[\u0000-\u001f\u007f\\]/;

export function bucketFor(template: string, region: string): string {
  return template.split(REGION_PLACEHOLDER).join(region);
}

function bucketProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name))
    return '3 to 63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit';
  if (name.includes('..')) return 'no two dots in a row';
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return 'not an IP address';
  if (/^(xn--|sthree-)/.test(name) || /(-s3alias|--ol-s3|--x-s3)$/.test(name))
    return 'not a prefix or suffix S3 reserves';
  return undefined;
}

/**
 * Checks `s3-bucket` against S3's naming rules for every region it may be used in, and refuses one bucket for several
 * regions (Lambda would refuse it in all but one). Returns undefined when `s3-bucket` is empty.
 */
export function checkBucketTemplate(template: string, regions: RegionSelection): string | undefined {
  const value = template.trim();
  if (!value) return undefined;
  if (value === AUTO_BUCKET) return value;
  const candidates = regions.expand ? lambdaRegions(regions.partition) : regions.named;
  const used = candidates.filter((r) => !regions.exclude.includes(r));
  if (!value.includes(REGION_PLACEHOLDER) && (regions.expand || used.length > 1)) {
    throw new ConfigurationError(
      `Input 's3-bucket' names one bucket, '${value}', for several regions, but Lambda reads a layer's zip only from a bucket in the layer's own region: put the ${REGION_PLACEHOLDER} placeholder in it (for example 'my-layers-${REGION_PLACEHOLDER}') and create a bucket per region.`,
    );
  }
  for (const region of used.length ? used : ['us-east-1']) {
    const name = bucketFor(value, region);
    const problem = bucketProblem(name);
    if (problem) {
      throw new ConfigurationError(
        `Input 's3-bucket' gives '${name}' for ${region}, which is not a valid bucket name (${problem}).`,
      );
    }
  }
  return value;
}

/** `s3-prefix` as a key prefix: no leading slash, and a trailing one added so that it reads as a folder. */
export function checkKeyPrefix(input: string): string {
  const value = input.trim();
  if (value.startsWith('/') || value.length > MAX_PREFIX || BAD_PREFIX_CHARS.test(value)) {
    throw new ConfigurationError(
      `Input 's3-prefix' must be a key prefix such as 'lambda-layers/' (no leading '/', no control characters or '\\', at most ${MAX_PREFIX} characters), got '${value}'.`,
    );
  }
  return value === '' || value.endsWith('/') ? value : `${value}/`;
}

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
