import { createHash } from 'node:crypto';
import type { EmuRequest } from '../../http.js';
import type { AwsContext } from '../context.js';
import type { Identity } from '../identity.js';
import { LambdaError, invalidParameter, validationError } from './errors.js';
import { contentBucket, layerArn, type LayerRef, type LayerVersion } from './state.js';
import { partitionOf } from '../regions.js';
import { Failures } from './validation.js';

/** One Lambda API call as a handler sees it. */
export interface LambdaCall {
  req: EmuRequest;
  ctx: AwsContext;
  operation: string;
  region: string;
  caller: Identity;
  /** Path parameters, URL-decoded (LayerName may be an ARN). */
  params: Record<string, string>;
}

const LAYER_ARN = /^arn:([a-zA-Z0-9-]+):lambda:([a-zA-Z0-9-]+):(\d{12}):layer:([a-zA-Z0-9-_]+)(?::(\d+))?$/;

/** Reads a layer name or layer ARN; an ARN names the account (and region) the layer lives in. */
export function resolveLayer(call: LambdaCall, nameOrArn: string): LayerRef {
  const failures = new Failures().check('layerName', nameOrArn, 'LayerName');
  if (failures.list.length) throw validationError(failures.list);
  const arn = LAYER_ARN.exec(nameOrArn);
  if (arn) return { account: arn[3], region: arn[2], name: arn[4], partition: arn[1] };
  return { account: call.caller.account, region: call.region, name: nameOrArn };
}

/** Parses a layer version ARN (GetLayerVersionByArn) into its layer and version number. */
export function parseLayerVersionArn(arn: string): { ref: LayerRef; version: number } | undefined {
  const match = LAYER_ARN.exec(arn);
  if (!match || match[5] === undefined) return undefined;
  return {
    ref: { account: match[3], region: match[2], name: match[4], partition: match[1] },
    version: Number(match[5]),
  };
}

export function versionNumber(call: LambdaCall): number {
  const raw = call.params.version;
  if (!/^-?\d+$/.test(raw)) throw invalidParameter(`Invalid version number: ${raw}`);
  const version = Number(raw);
  if (version < 1) throw invalidParameter('Layer Version Cannot be less than 1');
  return version;
}

export function readJson(call: LambdaCall): Record<string, unknown> {
  if (call.req.body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(call.req.body.toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below, as AWS does for any unreadable body
  }
  throw new LambdaError(400, 'InvalidRequestContentException', 'Could not parse request body into json');
}

export function accessDenied(call: LambdaCall, resource: string, reason: string, action = call.operation): LambdaError {
  return new LambdaError(
    403,
    'AccessDeniedException',
    `User: ${call.caller.arn} is not authorized to perform: lambda:${action} on resource: ${resource} ${reason}`,
  );
}

/** Only the caller's own layers in the region the request was sent to can be changed or listed. */
export function requireOwn(call: LambdaCall, ref: LayerRef): void {
  if (ref.account !== call.caller.account) {
    throw accessDenied(
      call,
      layerArn(ref),
      'because no resource-based policy allows the lambda:' + call.operation + ' action',
    );
  }
}

/**
 * A layer in another region is invisible to this region's endpoint, and so is an ARN whose partition is not the
 * region's (arn:aws-cn:lambda:us-east-1:...): no layer can have it.
 */
export function inThisRegion(call: LambdaCall, ref: LayerRef): boolean {
  return ref.region === call.region && (ref.partition === undefined || ref.partition === partitionOf(call.region));
}

/** A presigned-looking URL into the emulated S3 that serves the version's zip (or a function's code). */
export function contentLocation(call: LambdaCall, version: Pick<LayerVersion, 'contentKey'>, region: string): string {
  const now = new Date();
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
  const credential = `ASIAEMULATORLAYERS00/${stamp.slice(0, 8)}/${region}/s3/aws4_request`;
  const signature = createHash('sha256').update(`${version.contentKey}\0${stamp}`).digest('hex');
  const query = new URLSearchParams({
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': credential,
    'X-Amz-Date': stamp,
    'X-Amz-Expires': '600',
    'X-Amz-SignedHeaders': 'host',
    'X-Amz-Signature': signature,
  });
  return `${call.req.baseUrl}/${contentBucket(region)}/${version.contentKey}?${query}`;
}

/** The version as GetLayerVersion / PublishLayerVersion return it. */
export function versionOutput(call: LambdaCall, version: LayerVersion, region: string): Record<string, unknown> {
  return {
    Content: {
      Location: contentLocation(call, version, region),
      CodeSha256: version.codeSha256,
      CodeSize: version.codeSize,
    },
    LayerArn: version.layerArn,
    ...listItem(version),
  };
}

/** The version as ListLayerVersions / ListLayers list it: no LayerArn, no Content. */
export function listItem(version: LayerVersion): Record<string, unknown> {
  return {
    LayerVersionArn: version.layerVersionArn,
    Version: version.version,
    Description: version.description,
    CreatedDate: version.createdDate,
    ...(version.compatibleRuntimes ? { CompatibleRuntimes: version.compatibleRuntimes } : {}),
    ...(version.compatibleArchitectures ? { CompatibleArchitectures: version.compatibleArchitectures } : {}),
    ...(version.licenseInfo !== undefined ? { LicenseInfo: version.licenseInfo } : {}),
  };
}
