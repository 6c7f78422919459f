/**
 * `s3-bucket` staging: the zip goes to a bucket in each region, and PublishLayerVersion names the object instead of
 * carrying the zip. Lambda reads the object with the caller's credentials and only from a bucket in the layer's own
 * region, so the bucket name takes a `{region}` placeholder.
 *
 * When `s3-bucket` is given, every region that publishes stages through it, whatever the zip's size: the bucket and
 * its permissions are exercised on every run, not first on the day the zip passes 50 MB. The key is
 * `<s3-prefix><name>/<sha256>.zip`, so an object with that key and size already holds these bytes (a rerun, or a
 * region that failed after staging) and is not uploaded again. The upload carries the zip's SHA-256 as its checksum,
 * so S3 refuses bytes that arrive damaged.
 */
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { describeAwsError, httpStatusOf } from '../aws/errors.js';
import { lambdaRegions } from '../aws/partitions.js';
import type { RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';

export const REGION_PLACEHOLDER = '{region}';
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
  /** False when an object with this key and size was there already. */
  uploaded: boolean;
}

export interface ZipBytes {
  data: Buffer;
  sha256: string;
  /** base64 SHA-256, S3's ChecksumSHA256 as it is Lambda's CodeSha256. */
  codeSha256: string;
}

/** An S3 failure in words: the wrong region, a missing bucket, a missing permission. */
function explain(err: unknown, operation: string, bucket: string, region: string): Error {
  const status = httpStatusOf(err);
  const e = err as { name?: string; $response?: { headers?: Record<string, string> } };
  const home = e.$response?.headers?.['x-amz-bucket-region'];
  if (status === 301 || e.name === 'PermanentRedirect' || e.name === 'AuthorizationHeaderMalformed') {
    const where = home ? `is in ${home}, not ${region}` : `is not in ${region}`;
    return new Error(
      `s3-bucket: bucket '${bucket}' ${where}; Lambda reads a layer's zip only from a bucket in the layer's own region (use a ${REGION_PLACEHOLDER} placeholder and a bucket per region)`,
      { cause: err },
    );
  }
  if (e.name === 'NoSuchBucket') {
    return new Error(`s3-bucket: bucket '${bucket}' does not exist; create it in ${region}`, { cause: err });
  }
  // Access denied names the missing s3: permission; anything else names the operation and AWS's message.
  return new Error(`s3-bucket '${bucket}': ${describeAwsError(err, operation, 's3')}`, { cause: err });
}

/** The object's size, or undefined when it is not there (or HeadObject may not tell: then it is uploaded). */
async function existingSize(s3: S3Client, bucket: string, key: string, region: string): Promise<number | undefined> {
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength;
  } catch (err) {
    const status = httpStatusOf(err);
    // 404: no such object (or bucket: PutObject says which). 403: no s3:GetObject, or a missing object without
    // s3:ListBucket; uploading tells more than guessing.
    if (status === 404 || status === 403) return undefined;
    throw explain(err, 'HeadObject', bucket, region);
  }
}

/** Uploads the zip unless the object is there already; the body is streamed after signing (see src/aws/clients.ts). */
export async function stageZip(
  s3: S3Client,
  target: { bucket: string; key: string; region: string },
  zip: ZipBytes,
): Promise<StagedZip> {
  const { bucket, key, region } = target;
  if ((await existingSize(s3, bucket, key, region)) === zip.data.length) return { bucket, key, uploaded: false };
  const put = new PutObjectCommand({
    Bucket: bucket,
    Key: key,
    Body: zip.data,
    ContentLength: zip.data.length,
    ContentType: 'application/zip',
    ChecksumSHA256: zip.codeSha256,
  });
  // The payload hash SigV4 signs is known already: spares hashing the zip again in every region.
  put.middlewareStack.add(
    (next) => (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers) request.headers['x-amz-content-sha256'] = zip.sha256;
      return next(args);
    },
    { step: 'build', name: 'llrKnownPayloadHash' },
  );
  try {
    await s3.send(put);
  } catch (err) {
    throw explain(err, 'PutObject', bucket, region);
  }
  return { bucket, key, uploaded: true };
}

export function describeStaged(staged: StagedZip): string {
  return `s3://${staged.bucket}/${staged.key} (${staged.uploaded ? 'uploaded' : 'already there'})`;
}
