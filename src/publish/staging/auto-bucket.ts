/**
 * `s3-bucket: auto`: a staging bucket per region, named from the account and the region
 * (`lambda-layer-release-<account>-<region>`), created the first time a region stages and used as it is afterwards:
 * objects owned by the bucket owner (no ACLs), all public access blocked, SSE-S3 encryption by default, and a
 * lifecycle rule that expires staged zips and aborts unfinished multipart uploads after a day (a staged zip is only
 * needed while the layer is published).
 *
 * Two runs that create it at once both succeed: the second create answers BucketAlreadyOwnedByYou (us-east-1: 200),
 * and the configuration calls are idempotent.
 */
import {
  CreateBucketCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { httpStatusOf } from '../../aws/errors.js';
import { explainS3Error } from './staged-zip.js';

export const AUTO_BUCKET_PREFIX = 'lambda-layer-release-';
/** Days after which the lifecycle rule removes staged zips and unfinished uploads. */
export const AUTO_EXPIRY_DAYS = 1;
export const AUTO_RULE_ID = 'lambda-layer-release-staging';

export function autoBucketName(account: string, region: string): string {
  return `${AUTO_BUCKET_PREFIX}${account}-${region}`;
}

/** Each call's failure names the IAM action it needs (which is not always the operation's name). */
async function configure(s3: S3Client, bucket: string, region: string, prefix: string): Promise<void> {
  const named = (action: string, call: Promise<unknown>) =>
    call.catch((err: unknown) => {
      throw explainS3Error(err, action, bucket, region);
    });
  await Promise.all([
    named(
      'PutBucketPublicAccessBlock',
      s3.send(
        new PutPublicAccessBlockCommand({
          Bucket: bucket,
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            IgnorePublicAcls: true,
            BlockPublicPolicy: true,
            RestrictPublicBuckets: true,
          },
        }),
      ),
    ),
    named(
      'PutEncryptionConfiguration',
      s3.send(
        new PutBucketEncryptionCommand({
          Bucket: bucket,
          ServerSideEncryptionConfiguration: {
            Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        }),
      ),
    ),
    named(
      'PutLifecycleConfiguration',
      s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [
              {
                ID: AUTO_RULE_ID,
                Status: 'Enabled',
                Filter: { Prefix: prefix },
                Expiration: { Days: AUTO_EXPIRY_DAYS },
                AbortIncompleteMultipartUpload: { DaysAfterInitiation: AUTO_EXPIRY_DAYS },
              },
            ],
          },
        }),
      ),
    ),
  ]);
}

/**
 * Makes sure the region's auto bucket exists; returns true when this call created it. Another account owning the
 * name, or a missing permission, is an error naming the bucket and the IAM action.
 */
export async function ensureAutoBucket(s3: S3Client, bucket: string, region: string, prefix: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return false;
  } catch (err) {
    // HeadBucket needs s3:ListBucket.
    if (httpStatusOf(err) !== 404) throw explainS3Error(err, 'ListBucket', bucket, region);
  }
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: bucket,
        ObjectOwnership: 'BucketOwnerEnforced',
        ...(region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
      }),
    );
  } catch (err) {
    const name = (err as { name?: string }).name;
    if (name === 'BucketAlreadyExists') {
      throw new Error(
        `s3-bucket: auto: the bucket name '${bucket}' belongs to another account; give 's3-bucket' a name of your own with a {region} placeholder`,
        { cause: err },
      );
    }
    // Another run created it a moment ago: it configures it too, with the same settings.
    if (name !== 'BucketAlreadyOwnedByYou') throw explainS3Error(err, 'CreateBucket', bucket, region);
  }
  await configure(s3, bucket, region, prefix);
  return true;
}
