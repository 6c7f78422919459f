/**
 * One region's chain: read the newest version -> reuse it when it already holds this release -> else publish ->
 * settle on one version when racing runs published twice (converge.ts) -> share -> verify. A transient failure runs
 * the chain again from where it stopped (aws/region-retry.ts); whatever still goes wrong ends as a failed outcome with a
 * reason; it never stops other regions.
 */
import type { LambdaClient, PublishLayerVersionRequest } from '@aws-sdk/client-lambda';
import { checkLayerVersionArn } from '../../aws/arn.js';
import { classifyAwsError, describeAwsError } from '../../aws/errors.js';
import { errorMessage } from '../../errors.js';
import { removeDuplicate, settleVersion, type Release } from './converge.js';
import { sameMarker } from '../../record/index.js';
import type { Logger, PublishPlan, RegionOutcome } from '../plan.js';
import { publishOnce, type PublishCallDeps, type PublishedVersion } from './publish-call.js';
import { retryRegion, type RegionRetryPolicy } from '../../aws/region-retry.js';
import { readPolicy, shareVersion, type Statements } from './share.js';
import { grantLabel } from '../../settings/share-with.js';
import { describeStaged, type StagedZip } from '../staging/staged-zip.js';
import { step, StepError } from '../../aws/step.js';
import { findRelease, getVersion, newestVersion, type StoredVersion, type VersionInfo } from '../versions.js';

export interface RegionDeps extends Omit<PublishCallDeps, 'publisher' | 'lambda'> {
  clients: { lambda(region: string): LambdaClient; publisher(region: string): LambdaClient };
  /** What the request carries as Content.ZipFile: the shared body's placeholder (see src/aws/inline-zip.ts). */
  zipFile: Uint8Array;
  /**
   * For `s3-bucket`: puts the zip in the region's bucket (unless it is there) and says where; `again` when Lambda
   * found no object where one was staged (another run's clean-up deleted it).
   */
  stage?(region: string, again?: boolean): Promise<StagedZip>;
  now(): number;
  /** Region-level retries (aws/region-retry.ts): REGION_RETRY unless a test of the policy passes another. */
  retry?: RegionRetryPolicy;
  logger?: Pick<Logger, 'info'>;
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
  // A policy that could not be read is read again when sharing; the version holds the release either way.
  return { ...stored, ...(read && 'statements' in read ? { statements: read.statements } : {}) };
}

/** What a region's attempts found out, kept across attempts so that a retry resumes where the last one stopped. */
interface Progress {
  /** The newest version before this run published (read again by each attempt until a publish went out). */
  previousVersion?: number;
  /** A PublishLayerVersion went out: until its version is known, a retry looks for it before sending again. */
  sent: boolean;
  /** The version this run published (or adopted after a lost answer). */
  own?: PublishedVersion;
  /** A version that held this release already (marker and CodeSha256 checked), reused. */
  held?: Reusable;
  /** The version the region settles on (converge.ts): `own` or `held`, or a lower one of the same block. */
  settled?: StoredVersion;
  /** The policy of `settled` is to be read (not assumed empty) before sharing. */
  readPolicy: boolean;
  stagedAt?: string;
  duplicate?: number;
  problem?: RegionOutcome['problem'];
}

type Finished = Omit<RegionOutcome, 'region' | 'previousVersion' | 'seconds'>;

function releaseOf(plan: PublishPlan): Release {
  return { name: plan.layer.name, marker: plan.marker, codeSha256: plan.layer.codeSha256 };
}

/** Finds the version this attempt works on: reused, adopted, or published now; undefined in a dry run's plan. */
async function findOrPublish(
  plan: PublishPlan,
  region: string,
  deps: RegionDeps,
  p: Progress,
): Promise<Finished | undefined> {
  const lambda = deps.clients.lambda(region);
  const name = plan.layer.name;
  const newest = await newestVersion(lambda, name);
  if (!p.sent) p.previousVersion = newest?.version;
  else {
    // The last attempt's publish may have gone through: look before sending it again (no blind resend).
    const found = await findRelease(lambda, name, p.previousVersion, releaseOf(plan));
    if (found) {
      p.own = { ...found, adopted: true };
      p.readPolicy = true;
      return undefined;
    }
  }
  const mayReuse = plan.skipUnchanged && !plan.align?.republish.includes(region);
  const reusable =
    mayReuse && newest && sameMarker(newest.marker, plan.marker)
      ? await reusableVersion(lambda, plan, newest)
      : undefined;
  if (reusable) {
    checkLayerVersionArn(reusable.arn, { region, layerName: name, version: reusable.version });
    p.held = reusable;
    // align-versions republishes on purpose (a higher number over a lower copy): its reuse keeps the number found.
    p.settled = plan.align ? reusable : await settleVersion(lambda, releaseOf(plan), reusable, { page: newest!.page });
    p.readPolicy = p.settled.version !== reusable.version || !reusable.statements;
    return undefined;
  }
  if (plan.dryRun) {
    const labels = plan.sharing.map(grantLabel);
    const version = plan.align ? { version: plan.align.target } : {};
    return { status: 'planned', ...version, sharing: labels, added: labels };
  }
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
  return undefined;
}

/** Lambda's answer when the S3 object it was told to read does not exist. */
function stagedObjectGone(err: unknown): boolean {
  const cause = err instanceof StepError ? err.cause : err;
  const e = cause as { name?: string; message?: string } | undefined;
  return e?.name === 'InvalidParameterValueException' && /S3 Error Code: NoSuchKey/.test(e.message ?? '');
}

/** One attempt of the chain, from what `p` already knows. */
async function attemptRegion(plan: PublishPlan, region: string, deps: RegionDeps, p: Progress): Promise<Finished> {
  const lambda = deps.clients.lambda(region);
  const name = plan.layer.name;
  if (!p.own && !p.held) {
    const planned = await findOrPublish(plan, region, deps, p);
    if (planned) return planned;
  }
  const own = p.own;
  if (own && !p.settled) {
    checkLayerVersionArn(own.arn, { region, layerName: name, version: own.version });
    if (own.codeSha256 !== plan.layer.codeSha256) {
      throw new Error(`AWS stored CodeSha256 ${own.codeSha256 ?? '(none)'}, the zip's is ${plan.layer.codeSha256}`);
    }
    const republish = !plan.skipUnchanged || plan.align?.republish.includes(region);
    const floor = republish ? p.previousVersion : undefined;
    p.settled = await settleVersion(lambda, releaseOf(plan), own, { floor });
    if (p.settled.version !== own.version) p.readPolicy = true;
  }
  const settled = p.settled!;
  checkLayerVersionArn(settled.arn, { region, layerName: name, version: settled.version });
  const statements = p.readPolicy ? undefined : (p.held?.statements ?? []);
  p.readPolicy = true;
  const shared = await shareVersion(lambda, { name, version: settled.version }, plan.sharing, {
    current: statements,
    dryRun: plan.dryRun,
  });
  if (own && settled.version !== own.version && p.duplicate === undefined && !p.problem) {
    try {
      await removeDuplicate(lambda, name, own.version);
      p.duplicate = own.version;
    } catch (err) {
      p.problem = { what: 'Deleting a duplicate version', error: `version ${own.version}: ${failureReason(err)}` };
    }
  }
  const status = own ? 'published' : 'unchanged';
  return {
    status,
    arn: settled.arn,
    version: settled.version,
    ...shared,
    ...(own ? { adopted: own.adopted } : {}),
    ...(p.stagedAt ? { staged: p.stagedAt } : {}),
    ...(p.duplicate !== undefined ? { duplicate: p.duplicate } : {}),
    ...(p.problem ? { problem: p.problem } : {}),
  };
}

/** The outcome when the attempts ran out. */
function gaveUp(err: unknown, p: Progress): Finished {
  const error = failureReason(err);
  const held = p.settled ?? p.held;
  if (!p.own && held && classifyAwsError(err instanceof StepError ? err.cause : err) !== 'not-found') {
    // A rerun never makes the table worse: the version holding this release keeps its row; what failed is a problem.
    const what =
      err instanceof StepError && /Policy|Permission/.test(err.operation) ? 'Sharing' : 'Checking the version';
    return {
      status: 'unchanged',
      arn: held.arn,
      version: held.version,
      sharing: [],
      added: [],
      problem: { what, error },
    };
  }
  const version = p.settled ?? p.own;
  return {
    status: 'failed',
    error,
    // A version that exists but is not fully shared is reported, not hidden: a rerun reuses it and completes it.
    ...(version && p.own ? { arn: version.arn, version: version.version, adopted: p.own.adopted } : {}),
    sharing: [],
    added: [],
  };
}

export async function runRegion(plan: PublishPlan, region: string, deps: RegionDeps): Promise<RegionOutcome> {
  const started = deps.now();
  const p: Progress = { sent: false, readPolicy: false };
  let attempts = 1;
  let finished: Finished;
  try {
    finished = await retryRegion(
      (attempt) => {
        attempts = attempt;
        return attemptRegion(plan, region, deps, p);
      },
      {
        ...deps,
        onRetry: (err, failed, delay) =>
          deps.logger?.info(
            `${region}: ${failureReason(err)}; trying the region again in ${(delay / 1000).toFixed(1)} s (attempt ${failed + 1}).`,
          ),
      },
    );
  } catch (err) {
    finished = gaveUp(err, p);
  }
  return {
    region,
    ...finished,
    previousVersion: p.previousVersion,
    ...(attempts > 1 ? { attempts } : {}),
    seconds: Math.round((deps.now() - started) / 100) / 10,
  };
}
