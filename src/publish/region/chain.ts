/**
 * One region's chain: read the newest version -> look for the version of a publish whose answer was lost, before
 * sending again (publish-call.ts) -> reuse the newest when it already holds this release (reuse.ts) -> else publish
 * (publish-version.ts) -> verify it (verify.ts) -> settle on one version when racing runs published twice
 * (converge.ts) -> share (share.ts). A transient failure runs the chain again from where it stopped (state.ts,
 * aws/region-retry.ts); whatever still goes wrong ends as a failed outcome with a reason; it never stops other regions.
 */
import { classifyAwsError } from '../../aws/errors.js';
import { retryRegion } from '../../aws/region-retry.js';
import { failureReason, StepError } from '../../aws/step.js';
import { grantLabel } from '../../settings/share-with.js';
import type { PublishPlan, RegionOutcome } from '../plan.js';
import { newestVersion } from '../versions.js';
import { dropDuplicate, settleOwn } from './converge.js';
import { adoptLost } from './publish-call.js';
import { publishVersion } from './publish-version.js';
import { reuseIfUnchanged } from './reuse.js';
import { shareVersion, type ShareResult } from './share.js';
import { releaseOf, type Finished, type Progress, type RegionDeps } from './state.js';
import { verifyArn, verifyOwn } from './verify.js';

/** What a dry run would do in the region: publish, and share with every grant. */
function planned(plan: PublishPlan): Finished {
  const labels = plan.sharing.map(grantLabel);
  const version = plan.align ? { version: plan.align.target } : {};
  return { status: 'planned', ...version, sharing: labels, added: labels };
}

/** Finds the version this attempt works on: adopted, reused, or published now; a dry run's plan instead. */
async function findOrPublish(
  plan: PublishPlan,
  region: string,
  deps: RegionDeps,
  p: Progress,
): Promise<Finished | undefined> {
  const lambda = deps.clients.lambda(region);
  const newest = await newestVersion(lambda, plan.layer.name);
  if (!p.sent) p.previousVersion = newest?.version;
  else {
    // The last attempt's publish may have gone through: look before sending it again (no blind resend).
    const adopted = await adoptLost(lambda, releaseOf(plan), p.previousVersion);
    if (adopted) {
      p.own = adopted;
      p.readPolicy = true;
      return undefined;
    }
  }
  if (await reuseIfUnchanged(lambda, plan, region, newest, p)) return undefined;
  if (plan.dryRun) return planned(plan);
  await publishVersion(plan, region, deps, p);
  return undefined;
}

function sharedOutcome(p: Progress, shared: ShareResult): Finished {
  const { own, settled } = p;
  return {
    status: own ? 'published' : 'unchanged',
    arn: settled!.arn,
    version: settled!.version,
    ...shared,
    ...(own ? { adopted: own.adopted } : {}),
    ...(p.stagedAt ? { staged: p.stagedAt } : {}),
    ...(p.duplicate !== undefined ? { duplicate: p.duplicate } : {}),
    ...(p.problem ? { problem: p.problem } : {}),
  };
}

/** One attempt of the chain, from what `p` already knows. */
async function attemptRegion(plan: PublishPlan, region: string, deps: RegionDeps, p: Progress): Promise<Finished> {
  const lambda = deps.clients.lambda(region);
  const name = plan.layer.name;
  if (!p.own && !p.held) {
    const dryRun = await findOrPublish(plan, region, deps, p);
    if (dryRun) return dryRun;
  }
  if (p.own && !p.settled) {
    verifyOwn(p.own, region, plan);
    await settleOwn(lambda, plan, region, p);
  }
  const settled = p.settled!;
  verifyArn(settled, region, plan);
  const statements = p.readPolicy ? undefined : (p.held?.statements ?? []);
  p.readPolicy = true;
  const shared = await shareVersion(lambda, { name, version: settled.version }, plan.sharing, {
    current: statements,
    dryRun: plan.dryRun,
  });
  await dropDuplicate(lambda, name, p);
  return sharedOutcome(p, shared);
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
