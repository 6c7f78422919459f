import { createHash } from 'node:crypto';
import { json, type EmuResponse } from '../../http.js';
import { LambdaError, invalidParameter, lambdaHeaders, validationError } from './errors.js';
import { inThisRegion, readJson, requireOwn, resolveLayer, versionOutput, type LambdaCall } from './call.js';
import { lambdaDate, layerArn, type LayerRef } from './state.js';
import { Failures, LIMITS, bodyObject, bodyString, bodyStringList } from './validation.js';
import { inspectZip } from './zip.js';

export function requestTooLarge(operation: string, limit: number = LIMITS.request): LambdaError {
  return new LambdaError(
    413,
    'RequestEntityTooLargeException',
    `Request must be smaller than ${limit} bytes for the ${operation} operation`,
  );
}

function s3Failure(code: string, message: string): LambdaError {
  return invalidParameter(`Error occurred while GetObject. S3 Error Code: ${code}. S3 Error Message: ${message}`);
}

/** The zip the request names: inline (base64) or an object in a bucket of the same region and account. */
function layerZip(call: LambdaCall, content: Record<string, unknown>): Buffer {
  const zipFile = bodyString(content, 'ZipFile');
  const bucketName = bodyString(content, 'S3Bucket');
  const key = bodyString(content, 'S3Key');
  if (zipFile !== undefined) {
    if (bucketName !== undefined || key !== undefined) {
      throw invalidParameter('Please do not provide other LayerContent parameters when providing a ZipFile.');
    }
    const zip = Buffer.from(zipFile, 'base64');
    if (zip.length > LIMITS.zipFile) throw requestTooLarge(call.operation);
    return zip;
  }
  if (bucketName === undefined || key === undefined) {
    throw invalidParameter('Please provide a source for the layer content: ZipFile, or S3Bucket and S3Key.');
  }
  return zipFromBucket(call, bucketName, key);
}

/** An object of a bucket in the call's region and the caller's account, as Lambda reads layer content and code. */
export function zipFromBucket(call: LambdaCall, bucketName: string, key: string): Buffer {
  const bucket = call.ctx.s3.bucket(bucketName, call.region);
  if (!bucket) throw s3Failure('NoSuchBucket', 'The specified bucket does not exist');
  if (bucket.region !== call.region) {
    throw s3Failure(
      'PermanentRedirect',
      `The bucket is in this region: ${bucket.region}. Please use this region to retry the request`,
    );
  }
  if (bucket.account !== call.caller.account) throw s3Failure('AccessDenied', 'Access Denied');
  const object = bucket.objects.get(key);
  if (!object) throw s3Failure('NoSuchKey', 'The specified key does not exist.');
  return object.body;
}

export async function checkZip(zip: Buffer): Promise<number> {
  const summary = await inspectZip(zip);
  if (!summary)
    throw invalidParameter('Could not unzip uploaded file. Please check your file, then try to upload again.');
  if (summary.entries === 0) throw invalidParameter('Uploaded file must be a non-empty zip');
  if (summary.unzippedSize > LIMITS.unzipped) {
    throw invalidParameter(`Unzipped size must be smaller than ${LIMITS.unzipped} bytes`);
  }
  return summary.unzippedSize;
}

/** POST /2018-10-31/layers/{LayerName}/versions */
export async function publishLayerVersion(call: LambdaCall): Promise<EmuResponse> {
  const body = readJson(call);
  const description = bodyString(body, 'Description');
  const licenseInfo = bodyString(body, 'LicenseInfo');
  const runtimes = bodyStringList(body, 'CompatibleRuntimes');
  const architectures = bodyStringList(body, 'CompatibleArchitectures');
  const content = bodyObject(body, 'Content');
  const failures = new Failures()
    .check('layerName', call.params.layerName, 'LayerName')
    .required('content', content)
    .check('description', description, 'Description')
    .check('compatibleRuntimes', runtimes, 'CompatibleRuntimes')
    .check('licenseInfo', licenseInfo, 'LicenseInfo')
    .check('compatibleArchitectures', architectures, 'CompatibleArchitectures');
  if (content) {
    failures
      .check('content.s3Bucket', bodyString(content, 'S3Bucket'), 'S3Bucket')
      .check('content.s3Key', bodyString(content, 'S3Key'), 'S3Key')
      .check('content.s3ObjectVersion', bodyString(content, 'S3ObjectVersion'), 'S3ObjectVersion');
  }
  if (failures.list.length) throw validationError(failures.list);

  const ref: LayerRef = resolveLayer(call, call.params.layerName);
  requireOwn(call, ref);
  if (!inThisRegion(call, ref)) throw invalidParameter(`Layer ARN region must be ${call.region}.`);
  const zip = layerZip(call, content ?? {});
  const unzippedSize = await checkZip(zip);
  const store = call.ctx.lambda;
  if (store.storedBytes(ref.account, ref.region) + zip.length > store.storageLimitBytes) {
    throw new LambdaError(400, 'CodeStorageExceededException', 'Code storage limit exceeded.');
  }

  const sha = createHash('sha256').update(zip).digest();
  const arn = layerArn(ref);
  const version = store.add(ref, (number) => ({
    layerName: ref.name,
    version: number,
    layerArn: arn,
    layerVersionArn: `${arn}:${number}`,
    description: description ?? '',
    ...(runtimes ? { compatibleRuntimes: runtimes } : {}),
    ...(architectures ? { compatibleArchitectures: architectures } : {}),
    ...(licenseInfo !== undefined ? { licenseInfo } : {}),
    createdDate: lambdaDate(call.ctx.now()),
    codeSha256: sha.toString('base64'),
    codeSize: zip.length,
    unzippedSize,
    zip,
    contentKey: `snapshots/${ref.account}/${ref.name}-${number}-${sha.toString('hex').slice(0, 16)}`,
  }));
  return json(201, versionOutput(call, version, ref.region), lambdaHeaders());
}
