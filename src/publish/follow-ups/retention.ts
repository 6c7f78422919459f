/**
 * `keep-versions: N`: once a region's version is final, delete the versions older than the newest N. Conservative on
 * purpose, since a deleted version cannot come back and functions that use it can no longer be updated with it:
 *  - the newest N versions are counted among all versions, whoever published them;
 *  - of the older ones only versions carrying our version marker are deleted (a version published by hand, or a
 *    padding version of align-versions, is left alone);
 *  - never the version this run reports (published, reused or settled on), and never a version an SSM pointer under
 *    `ssm-prefix` points at (every pointer of the layer, not only this major's: `/otel/1` keeps the newest 1.x alive
 *    after 2.0.0);
 *  - never a version another run may be using right now: one numbered above this run's (published later), one that
 *    holds this release (another run's copy, which that run settles or deletes itself, see region/converge.ts), or one
 *    created less than RECENT_MS before this run's version by AWS's own CreatedDate (a concurrent run of another
 *    release). Every input to the rule comes from AWS, so two runs that look at once delete the same versions.
 * A dry run lists what would be deleted; a planned version counts as one of the N.
 */
import { DeleteLayerVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { sameMarker, type Marker } from '../../record/index.js';
import type { Logger, PublishPlan, RegionOutcome } from '../plan.js';
import { retryRegion, type RegionRetryDeps } from '../../aws/region-retry.js';
import { failureReason, step } from '../../aws/step.js';
import { listAllVersions, type ListedVersion } from '../versions.js';

/** Deletes in flight per region: Lambda's control plane throttles bursts; the SDK retries a 429. */
const DELETES_AT_ONCE = 4;
/** A version created this shortly before this run's own may belong to a run still going on: it is kept. */
export const RECENT_MS = 10 * 60 * 1000;

export interface RetentionPlan {
  /** Versions to delete, newest first. */
  remove: number[];
  /** Older versions kept because an SSM pointer points at them. */
  pointed: number[];
  /** Older versions kept because they lack our marker. */
  unmarked: number[];
  /** Older versions kept because another run may be using them: this release's, or created just before ours. */
  concurrent: number[];
}

/**
 * Which versions go. `own` is this run's version (published, reused or settled on), `pending` a version a dry run
 * would publish (it takes one of the N places), `pointed` what SSM pointers point at, `release` this run's marker.
 */
export function planRetention(
  versions: ListedVersion[],
  keep: number,
  protect: { own?: number; pending: boolean; pointed: Set<number>; release?: Marker },
): RetentionPlan {
  const plan: RetentionPlan = { remove: [], pointed: [], unmarked: [], concurrent: [] };
  const places = Math.max(0, keep - (protect.pending ? 1 : 0));
  const newestFirst = [...versions].sort((a, b) => b.version - a.version);
  const own = protect.own;
  // The clock is AWS's: this run's version's CreatedDate; for a dry run's pending one, now (or the newest's, if later).
  const reference =
    own !== undefined
      ? newestFirst.find((v) => v.version === own)?.created
      : Math.max(Date.now(), newestFirst[0]?.created ?? 0);
  for (const v of newestFirst.slice(places)) {
    if (v.version === own) continue;
    const recent = reference !== undefined && v.created !== undefined && reference - v.created < RECENT_MS;
    const later = own !== undefined && v.version > own;
    if (protect.pointed.has(v.version)) plan.pointed.push(v.version);
    else if (!v.marked) plan.unmarked.push(v.version);
    else if (later || recent || sameMarker(v.marker, protect.release)) plan.concurrent.push(v.version);
    else plan.remove.push(v.version);
  }
  return plan;
}

export interface RegionRetention extends RetentionPlan {
  region: string;
  /** Versions actually deleted (in a dry run: none; `remove` says what would be). */
  deleted: number[];
  error?: string;
}

export interface RetentionOptions {
  region: string;
  name: string;
  keep: number;
  lambda: LambdaClient;
  own?: number;
  /** This run's marker: versions that carry it are never deleted. */
  release?: Marker;
  pending: boolean;
  dryRun: boolean;
  /** Version numbers of this layer that SSM pointers in this region point at; read before anything is deleted. */
  pointed(): Promise<Set<number>>;
  /** Each delete (idempotent: a version gone is a 204) is retried as a region's chain is; none when absent. */
  retry?: RegionRetryDeps;
}

/** Plans and (unless a dry run) deletes; stops at the first failed delete and reports it in `error`. */
export async function applyRetention(options: RetentionOptions): Promise<RegionRetention> {
  const versions = await listAllVersions(options.lambda, options.name);
  const pointed = await options.pointed();
  const plan = planRetention(versions, options.keep, {
    own: options.own,
    pending: options.pending,
    pointed,
    ...(options.release ? { release: options.release } : {}),
  });
  const result: RegionRetention = { region: options.region, ...plan, deleted: [] };
  if (options.dryRun || plan.remove.length === 0) return result;
  const limit = pLimit(DELETES_AT_ONCE);
  await Promise.all(
    plan.remove.map((version) =>
      limit(async () => {
        // After a failure (a denied delete fails them all) the rest is not tried; the error says which one failed.
        if (result.error) return;
        try {
          const remove = () =>
            step('DeleteLayerVersion', () =>
              options.lambda.send(new DeleteLayerVersionCommand({ LayerName: options.name, VersionNumber: version })),
            );
          await (options.retry ? retryRegion(remove, options.retry) : remove());
          result.deleted.push(version);
        } catch (err) {
          result.error ??= `version ${version}: ${failureReason(err)}`;
        }
      }),
    ),
  );
  result.deleted.sort((a, b) => b - a);
  return result;
}

export interface KeepVersionsDeps extends Pick<RegionRetryDeps, 'sleep' | 'now'> {
  lambda(region: string): LambdaClient;
  /** Version numbers of this layer that SSM pointers in `region` point at. */
  pointed(region: string): Promise<Set<number>>;
  logger: Logger;
}

function logRetention(r: RegionRetention, keep: number, dryRun: boolean, logger: Logger): void {
  const list = (versions: number[]) => versions.join(', ');
  if (r.error) return;
  const done = dryRun ? r.remove : r.deleted;
  if (done.length)
    logger.info(
      `${r.region}: ${dryRun ? 'would delete' : 'deleted'} version(s) ${list(done)} (keep-versions: ${keep}).`,
    );
  if (r.pointed.length)
    logger.info(`${r.region}: kept old version(s) ${list(r.pointed)}: an SSM pointer points at them.`);
  if (r.unmarked.length) {
    logger.info(`${r.region}: left old version(s) ${list(r.unmarked)} alone: not published by lambda-layer-release.`);
  }
  if (r.concurrent.length) {
    logger.info(
      `${r.region}: kept version(s) ${list(r.concurrent)}: this release, newer than this run's, or published less than ${RECENT_MS / 60_000} minutes before it (another run may be using them).`,
    );
  }
}

/** `keep-versions` in every region whose version is final; undefined when it is 0. A failed region is an `error`. */
export async function keepVersions(
  keep: number,
  plan: PublishPlan,
  outcomes: RegionOutcome[],
  deps: KeepVersionsDeps,
): Promise<RegionRetention[] | undefined> {
  if (keep === 0) return undefined;
  const name = plan.layer.name;
  // Only regions whose version is final (or, in a dry run, planned): a failed region is left as it is.
  const regions = outcomes.filter((o) => ['published', 'unchanged', 'planned'].includes(o.status));
  const limit = pLimit(Math.max(1, plan.maxParallel === 'auto' ? regions.length : plan.maxParallel));
  return Promise.all(
    regions.map((o) =>
      limit(async (): Promise<RegionRetention> => {
        try {
          const retry = { sleep: deps.sleep, now: deps.now };
          // Listing and reading the pointers are retried as a whole; each delete on its own (applyRetention).
          const result = await retryRegion(
            () =>
              applyRetention({
                region: o.region,
                name,
                keep,
                lambda: deps.lambda(o.region),
                ...(o.status === 'planned' ? {} : { own: o.version }),
                release: plan.marker,
                pending: o.status === 'planned',
                dryRun: plan.dryRun,
                pointed: () => deps.pointed(o.region),
                retry,
              }),
            retry,
          );
          logRetention(result, keep, plan.dryRun, deps.logger);
          return result;
        } catch (err) {
          const none = { remove: [], pointed: [], unmarked: [], concurrent: [], deleted: [] };
          return { region: o.region, ...none, error: failureReason(err) };
        }
      }),
    ),
  );
}
