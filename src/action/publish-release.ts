/**
 * The end of a publish, after outputs and summary are set: the matrix leg record for `report`, and the release
 * section and `<name>.arns.json` asset.
 *
 * Exit rules (docs/publish.md "The release"): where there is an artifact service, a leg record that cannot be
 * uploaded fails the step (else `report` would drop its regions; GHES, with no artifact service v4, gets a line); a
 * release that cannot be written fails the step, since the ARN table is what the layer's users read. The outputs and
 * the summary are set before either.
 */
import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { artifactServiceProblem } from '../artifact/index.js';
import type { ArtifactStore } from '../artifact/store.js';
import { ConfigurationError, errorMessage, ServiceError, type StepOutcome } from '../errors.js';
import type { PublishRun } from '../publish/publish.js';
import type { PublishSettings } from '../settings/publish.js';
import { describeReleaseError, releaseFailure } from '../release/failure.js';
import { findRelease, updateRelease } from '../release/github.js';
import { uploadLegRecord } from '../release/legs.js';
import { parseRepository, releaseRef, releaseTarget, type ReleaseTarget } from '../settings/release.js';
import { octokitFor } from './octokit.js';

export interface ReleasePlan {
  target: ReleaseTarget;
  repository?: { owner: string; repo: string };
  /** The release as read before any AWS call (it exists; whether it is a draft, immutable). */
  found?: { id: number; tag_name: string; draft?: boolean; immutable?: boolean };
}

/** The `release` input read at input time: a bad tag, `true` off a release event or a missing token stop here. */
export function releasePlan(settings: PublishSettings, env: NodeJS.ProcessEnv): ReleasePlan {
  const target = releaseTarget(settings.release, env);
  if (target.kind === 'none') return { target };
  if (!settings.githubToken) {
    throw new ConfigurationError(
      "Input 'github-token' is empty; the release cannot be updated without it (contents: write), or set 'release' to false.",
    );
  }
  return { target, repository: parseRepository(env.GITHUB_REPOSITORY ?? '', 'GITHUB_REPOSITORY') };
}

/**
 * Reads the release the plan names, before the zip is read or any AWS call is made: a tag without a release (or a
 * token that cannot see it) stops the step here instead of after every region was published.
 */
export async function checkRelease(plan: ReleasePlan, token: string): Promise<ReleasePlan> {
  const ref = releaseRef(plan.target);
  if (!ref || !plan.repository) return plan;
  const which = 'tag' in ref ? ref.tag : ref.tag_name;
  try {
    const release = await findRelease(octokitFor(token), plan.repository.owner, plan.repository.repo, ref);
    const state = release.draft ? 'a draft' : release.immutable ? 'published, immutable' : 'published';
    core.info(`Release ${release.tag_name} found (${state}); it is written once the regions are published.`);
    return { ...plan, found: release };
  } catch (err) {
    const described = describeReleaseError(err);
    if (described === undefined) throw err;
    throw releaseFailure(err, described.startsWith("Input 'release'") ? '' : `Release ${which} could not be read: `)!;
  }
}

/**
 * Uploads this run's record as a matrix leg (the store retries failed connections, the client 429s and 5xx).
 * Returns why it could not, which fails the step: a leg whose record is missing would drop its regions from
 * `report` (which also reports a region of its `regions` input with no record as failed).
 */
export async function uploadLeg(
  run: Pick<PublishRun, 'record' | 'plan' | 'settings'>,
  store: ArtifactStore | undefined,
  env: NodeJS.ProcessEnv,
  /** The delete of an earlier record of this leg, begun while the regions were published. */
  after?: Promise<unknown>,
): Promise<ServiceError | undefined> {
  if (run.plan.dryRun) return undefined;
  if (!store) {
    // A line, not a failure: a one-job publish needs no leg record, and the user cannot add an artifact service.
    const why = artifactServiceProblem(env) ?? 'no artifact store';
    core.info(`The result record is not uploaded for 'report' (${why}); a 'report' step would not see these regions.`);
    return undefined;
  }
  try {
    const directory = await mkdtemp(path.join(env.RUNNER_TEMP || os.tmpdir(), 'llr-leg-'));
    const identity = run.settings.credentials.roleToAssume;
    // Not a log group: the release is written at the same time, and its lines would land inside it.
    const artifact = await uploadLegRecord(store, run.record, {
      env,
      directory,
      ...(identity ? { identity } : {}),
      ...(after ? { after } : {}),
    });
    core.info(`Result record uploaded as artifact ${artifact.name} (for 'report' after a matrix).`);
    return undefined;
  } catch (err) {
    return new ServiceError(
      `The result record was not uploaded as a matrix leg artifact (${errorMessage(err).replace(/\s+/g, ' ')}); a 'report' step after this job would not see these regions: re-run this job.`,
    );
  }
}

/**
 * Writes the release section and asset when the plan names a release; returns the reason it failed, if it did.
 * Nothing is written in a dry run, and a record whose ARNs do not hold up is refused before the release is read.
 */
export async function writeRelease(
  run: PublishRun,
  plan: ReleasePlan,
  token: string,
): Promise<StepOutcome | undefined> {
  const ref = plan.found ? { id: plan.found.id, tag_name: plan.found.tag_name } : releaseRef(plan.target);
  if (plan.target.kind === 'none') {
    core.info(`No release updated: ${plan.target.reason}.`);
    return undefined;
  }
  if (!ref || !plan.repository) return undefined;
  const which = 'tag' in ref ? ref.tag : ref.tag_name;
  if (run.plan.dryRun) {
    core.info(`Dry run: release ${which} not updated.`);
    return undefined;
  }
  try {
    const release = await core.group(`Update release ${which}`, () =>
      updateRelease({
        octokit: octokitFor(token),
        ...plan.repository!,
        release: ref,
        record: run.record,
        logger: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
      }),
    );
    if (process.env.GITHUB_STEP_SUMMARY) {
      const asset = release.asset ? ` and ${run.record.name}.arns.json` : ` (no asset: ${release.assetSkipped})`;
      await core.summary
        .addRaw(`Release [${release.tag}](${release.htmlUrl}): ARN table${asset} updated.`, true)
        .write();
    }
    return undefined;
  } catch (err) {
    // The step fails with this line (after outputs and summary); an unexpected error is a bug and keeps its stack.
    const failure = releaseFailure(err, `Release ${which} was not updated: `);
    if (failure === undefined) throw err;
    return failure;
  }
}
