/**
 * Reuse if unchanged (`skip-unchanged`): when the region's newest version already holds this release (its marker
 * and CodeSha256 are ours), nothing is published; that version (or the lowest of its block, converge.ts) is shared
 * and reported as `unchanged`.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { sameMarker } from '../../record/index.js';
import type { PublishPlan } from '../plan.js';
import { getVersion, type NewestVersion } from '../versions.js';
import { settleVersion } from './converge.js';
import { readPolicy } from './share.js';
import { releaseOf, type Progress, type Reusable } from './state.js';
import { verifyArn } from './verify.js';

/**
 * The newest version holds this release when its marker and CodeSha256 match ours. Its policy is read at the same
 * time (a rerun then costs two round trips), and only used when the version is reused.
 */
async function reusableVersion(
  lambda: LambdaClient,
  plan: PublishPlan,
  newest: NewestVersion,
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

/** True when the region's newest version is reused: then `p` holds it and the version the region settles on. */
export async function reuseIfUnchanged(
  lambda: LambdaClient,
  plan: PublishPlan,
  region: string,
  newest: NewestVersion | undefined,
  p: Progress,
): Promise<boolean> {
  const mayReuse = plan.skipUnchanged && !plan.align?.republish.includes(region);
  const reusable =
    mayReuse && newest && sameMarker(newest.marker, plan.marker)
      ? await reusableVersion(lambda, plan, newest)
      : undefined;
  if (!reusable) return false;
  verifyArn(reusable, region, plan);
  p.held = reusable;
  // align-versions republishes on purpose (a higher number over a lower copy): its reuse keeps the number found.
  p.settled = plan.align ? reusable : await settleVersion(lambda, releaseOf(plan), reusable, { page: newest!.page });
  p.readPolicy = p.settled.version !== reusable.version || !reusable.statements;
  return true;
}
