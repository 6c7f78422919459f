/**
 * Publishing this release in one region: with `s3-bucket` the zip is staged first (the stager puts it in the region's
 * bucket), then PublishLayerVersion goes out with no blind resend (publish-call.ts). When Lambda answers that the
 * staged object is gone (another run's clean-up deleted it), the zip is staged again and the request sent once more.
 */
import type { PublishLayerVersionRequest } from '@aws-sdk/client-lambda';
import { step, StepError } from '../../aws/step.js';
import type { PublishPlan } from '../plan.js';
import { describeStaged } from '../staging/staged-zip.js';
import { publishOnce, type PublishedVersion } from './publish-call.js';
import type { Progress, RegionDeps } from './state.js';

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

/** Lambda's answer when the S3 object it was told to read does not exist. */
function stagedObjectGone(err: unknown): boolean {
  const cause = err instanceof StepError ? err.cause : err;
  const e = cause as { name?: string; message?: string } | undefined;
  return e?.name === 'InvalidParameterValueException' && /S3 Error Code: NoSuchKey/.test(e.message ?? '');
}

/** Publishes the release in `region`; `p` learns where the zip was staged, that a request went out, and the version. */
export async function publishVersion(plan: PublishPlan, region: string, deps: RegionDeps, p: Progress): Promise<void> {
  const lambda = deps.clients.lambda(region);
  let content: PublishLayerVersionRequest['Content'] = { ZipFile: deps.zipFile };
  const stage = async (again?: boolean) => {
    if (!deps.stage) throw new Error('S3 staging was planned without a stage() dependency');
    const staged = await deps.uploadSlot(() => deps.stage!(region, again));
    content = { S3Bucket: staged.bucket, S3Key: staged.key };
    p.stagedAt = describeStaged(staged);
  };
  if (plan.upload.kind === 's3') await stage();
  const send = () => {
    p.sent = true;
    return step('PublishLayerVersion', () =>
      publishOnce(
        publishRequest(plan, content),
        { marker: plan.marker, codeSha256: plan.layer.codeSha256, newestBefore: p.previousVersion },
        { ...deps, lambda, publisher: deps.clients.publisher(region) },
      ),
    );
  };
  let version: PublishedVersion;
  try {
    version = await send();
  } catch (err) {
    // Lambda refused (400, nothing created) because the staged object is gone: staged again, sent once more.
    if (plan.upload.kind !== 's3' || !stagedObjectGone(err)) throw err;
    deps.logger?.info(
      `${region}: the staged zip was gone when Lambda read it (another run's clean-up?); staging it again.`,
    );
    await stage(true);
    version = await send();
  }
  p.own = version;
  // A version published a moment ago has no policy; an adopted one is read, in case the lost attempt got further.
  p.readPolicy = version.adopted;
}
