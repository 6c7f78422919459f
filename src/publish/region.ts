/**
 * One region's chain: read the newest version -> reuse it when it already holds this release -> else publish ->
 * share -> verify. Whatever goes wrong ends as a failed outcome with a reason; it never stops other regions.
 */
import type { LambdaClient, PublishLayerVersionRequest } from '@aws-sdk/client-lambda';
import { checkLayerVersionArn } from '../aws/arn.js';
import { describeAwsError } from '../aws/errors.js';
import { errorMessage } from '../errors.js';
import { sameMarker } from './marker.js';
import type { PublishPlan, RegionOutcome } from './plan.js';
import { publishOnce, type PublishCallDeps } from './publish-call.js';
import { readPolicy, shareVersion, type Statements } from './share.js';
import { grantLabel } from './sharing.js';
import { describeStaged, type StagedZip } from './staging.js';
import { step, StepError } from './step.js';
import { getVersion, newestVersion, type StoredVersion, type VersionInfo } from './versions.js';

export interface RegionDeps extends Omit<PublishCallDeps, 'publisher' | 'lambda'> {
  clients: { lambda(region: string): LambdaClient; publisher(region: string): LambdaClient };
  /** What the request carries as Content.ZipFile: the shared body's placeholder (see src/aws/inline-zip.ts). */
  zipFile: Uint8Array;
  /** For `s3-bucket`: puts the zip in the region's bucket (unless it is there) and says where. */
  stage?(region: string): Promise<StagedZip>;
  now(): number;
}

export function publishRequest(
  plan: PublishPlan,
  content: PublishLayerVersionRequest['Content'],
): PublishLayerVersionRequest {
  const { layer } = plan;
  return {
    LayerName: layer.name,
    Content: content,
    Description: plan.description,
    ...(layer.runtimes.length
      ? { CompatibleRuntimes: layer.runtimes as PublishLayerVersionRequest['CompatibleRuntimes'] }
      : {}),
    ...(layer.architectures.length
      ? { CompatibleArchitectures: layer.architectures as PublishLayerVersionRequest['CompatibleArchitectures'] }
      : {}),
    ...(layer.licenseInfo ? { LicenseInfo: layer.licenseInfo } : {}),
  };
}

export function failureReason(err: unknown): string {
  if (err instanceof StepError) return describeAwsError(err.cause, err.operation);
  return errorMessage(err);
}

interface Reusable extends StoredVersion {
  statements?: Statements;
}

/**
 * The newest version holds this release when its marker and CodeSha256 match ours. Its policy is read at the same
 * time (a rerun then costs two round trips), and only used when the version is reused.
 */
async function reusableVersion(
  lambda: LambdaClient,
  plan: PublishPlan,
  newest: VersionInfo,
): Promise<Reusable | undefined> {
  const name = plan.layer.name;
  const policy = plan.sharing.length
    ? readPolicy(lambda, name, newest.version).then(
        (statements) => ({ statements }),
        (error: unknown) => ({ error }),
      )
    : undefined;
  const stored = await getVersion(lambda, name, newest.version);
  if (stored.codeSha256 !== plan.layer.codeSha256) return undefined;
  const read = await policy;
  if (read && 'error' in read) throw read.error;
  return { ...stored, statements: read?.statements };
}

export async function runRegion(plan: PublishPlan, region: string, deps: RegionDeps): Promise<RegionOutcome> {
  const started = deps.now();
  const lambda = deps.clients.lambda(region);
  const name = plan.layer.name;
  const seconds = () => Math.round((deps.now() - started) / 100) / 10;
  let previousVersion: number | undefined;
  let published: { arn: string; version: number; adopted: boolean } | undefined;
  let stagedAt: string | undefined;
  try {
    const newest = await newestVersion(lambda, name);
    previousVersion = newest?.version;
    const mayReuse = plan.skipUnchanged && !plan.align?.republish.includes(region);
    const reusable =
      mayReuse && newest && sameMarker(newest.marker, plan.marker)
        ? await reusableVersion(lambda, plan, newest)
        : undefined;
    if (reusable) {
      const arn = checkLayerVersionArn(reusable.arn, { region, layerName: name, version: reusable.version });
      const shared = await shareVersion(lambda, { name, version: reusable.version }, plan.sharing, {
        current: reusable.statements,
        dryRun: plan.dryRun,
      });
      return {
        region,
        status: 'unchanged',
        arn: reusable.arn,
        version: arn.version,
        ...shared,
        previousVersion,
        seconds: seconds(),
      };
    }
    if (plan.dryRun) {
      const labels = plan.sharing.map(grantLabel);
      const version = plan.align ? { version: plan.align.target } : {};
      return {
        region,
        status: 'planned',
        ...version,
        sharing: labels,
        added: labels,
        previousVersion,
        seconds: seconds(),
      };
    }
    let content: PublishLayerVersionRequest['Content'] = { ZipFile: deps.zipFile };
    if (plan.upload.kind === 's3') {
      if (!deps.stage) throw new Error('S3 staging was planned without a stage() dependency');
      const stage = deps.stage;
      const staged = await deps.uploadSlot(() => stage(region));
      content = { S3Bucket: staged.bucket, S3Key: staged.key };
      stagedAt = describeStaged(staged);
    }
    const request = publishRequest(plan, content);
    const version = await step('PublishLayerVersion', () =>
      publishOnce(
        request,
        { marker: plan.marker, codeSha256: plan.layer.codeSha256, newestBefore: previousVersion },
        { ...deps, lambda, publisher: deps.clients.publisher(region) },
      ),
    );
    checkLayerVersionArn(version.arn, { region, layerName: name, version: version.version });
    published = { arn: version.arn, version: version.version, adopted: version.adopted };
    if (version.codeSha256 !== plan.layer.codeSha256) {
      throw new Error(`AWS stored CodeSha256 ${version.codeSha256 ?? '(none)'}, the zip's is ${plan.layer.codeSha256}`);
    }
    // A version published a moment ago has no policy; an adopted one is read, in case the lost attempt got further.
    const shared = await shareVersion(lambda, { name, version: version.version }, plan.sharing, {
      current: version.adopted ? undefined : [],
      dryRun: false,
    });
    const staged = stagedAt ? { staged: stagedAt } : {};
    return { region, status: 'published', ...published, ...shared, ...staged, previousVersion, seconds: seconds() };
  } catch (err) {
    return {
      region,
      status: 'failed',
      error: failureReason(err),
      // A version that exists but is not fully shared is reported, not hidden: a rerun reuses it and completes it.
      ...(published ? { arn: published.arn, version: published.version, adopted: published.adopted } : {}),
      sharing: [],
      added: [],
      previousVersion,
      seconds: seconds(),
    };
  }
}
