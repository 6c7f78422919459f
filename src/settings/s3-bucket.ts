/**
 * `s3-bucket` and `s3-prefix`: where publish stages the zip (src/publish/staging/). Lambda reads a layer's zip only
 * from a bucket in the layer's own region, so the bucket name takes a `{region}` placeholder, or is `auto` (a bucket
 * per region named from the account).
 */
import { lambdaRegions } from '../aws/partitions.js';
import type { RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';

export const REGION_PLACEHOLDER = '{region}';
/** `s3-bucket: auto`: a bucket per region named from the account (src/publish/staging/auto-bucket.ts). */
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
