/**
 * Convergence: two runs of one release at once (a re-run racing the original, a tag workflow and a release workflow)
 * may both publish, leaving two versions that hold the release. Each region then settles on one by a rule that every
 * run applies on its own and that gives all of them the same answer:
 *
 *     the versions that hold this release (same marker and CodeSha256) and sit next to each other in the region's
 *     list, align-versions fillers aside, form one block; every run settles on the LOWEST number of the block that
 *     holds its own version, and deletes its own version when that is not the one.
 *
 * AWS hands out numbers in the order it commits versions, so the lowest of a block is the first to exist: a run that
 * looks later sees it too, and nobody deletes it (a run only ever deletes its own, higher, duplicate). A version of
 * another release between two of ours ends a block. With `skip-unchanged: false` (and regions align-versions
 * republishes) the block is cut below at the newest version the run saw before publishing: those runs asked for a
 * new version, and get one; with align-versions a reused version keeps its number (padding republishes on purpose).
 */
import { DeleteLayerVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { isPadding } from '../align/alignment.js';
import { sameMarker, type Marker } from '../../record/index.js';
import { failureReason, step } from '../../aws/step.js';
import type { PublishPlan } from '../plan.js';
import { getVersion, versionPage, type StoredVersion, type VersionInfo, type VersionPage } from '../versions.js';
import { releaseOf, type Progress } from './state.js';

/** Pages read looking for the bottom of the block (10 versions each); a block is one or two versions in practice. */
const MAX_PAGES = 5;

export interface Release {
  name: string;
  marker: Marker;
  codeSha256: string;
}

/**
 * The versions below `own`, newest first, down to (not including) the first that is not this release, or to
 * `floor`. `first` is a page already read (the reuse path has one), so a reused version costs no extra call.
 */
async function below(lambda: LambdaClient, release: Release, own: number, floor = 0, first?: VersionPage) {
  const run: VersionInfo[] = [];
  let page = first ?? (await versionPage(lambda, release.name));
  for (let n = 1; ; n++) {
    for (const v of page.items) {
      if (v.version >= own) continue;
      if (v.version <= floor) return run;
      if (isPadding(v.description)) continue;
      if (!sameMarker(v.marker, release.marker)) return run;
      run.push(v);
    }
    if (!page.next || n >= MAX_PAGES) return run;
    page = await versionPage(lambda, release.name, page.next);
  }
}

/** The version the region settles on: `own`, or a lower one of the same block (see above). */
export async function settleVersion(
  lambda: LambdaClient,
  release: Release,
  own: StoredVersion,
  options: { floor?: number; page?: VersionPage } = {},
): Promise<StoredVersion> {
  let settled = own;
  for (const candidate of await below(lambda, release, own.version, options.floor, options.page)) {
    const stored = await getVersion(lambda, release.name, candidate.version);
    // Same marker, other bytes (a rebuild that was not reproducible): another release as far as the block goes.
    if (stored.codeSha256 !== release.codeSha256) break;
    settled = stored;
  }
  return settled;
}

/** Deletes a duplicate this run created; AWS answers 204 for a version that is gone already. */
export async function removeDuplicate(lambda: LambdaClient, name: string, version: number): Promise<void> {
  await step('DeleteLayerVersion', () =>
    lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version })),
  );
}

/**
 * The version the region settles on, from this run's own (verified first, verify.ts). Runs that asked for a new
 * version (`skip-unchanged: false`, an align-versions republish) cut the block at the newest version they saw before
 * publishing.
 */
export async function settleOwn(lambda: LambdaClient, plan: PublishPlan, region: string, p: Progress): Promise<void> {
  const own = p.own!;
  const republish = !plan.skipUnchanged || plan.align?.republish.includes(region);
  const floor = republish ? p.previousVersion : undefined;
  p.settled = await settleVersion(lambda, releaseOf(plan), own, { floor });
  if (p.settled.version !== own.version) p.readPolicy = true;
}

/** Once the region settled on a lower version than this run's own, its own goes; a failed delete is a problem. */
export async function dropDuplicate(lambda: LambdaClient, name: string, p: Progress): Promise<void> {
  const own = p.own;
  if (!own || p.settled!.version === own.version || p.duplicate !== undefined || p.problem) return;
  try {
    await removeDuplicate(lambda, name, own.version);
    p.duplicate = own.version;
  } catch (err) {
    p.problem = { what: 'Deleting a duplicate version', error: `version ${own.version}: ${failureReason(err)}` };
  }
}
