/**
 * What publish does once every region's version is final: SSM pointers (`ssm-prefix`), then retention
 * (`keep-versions`), which must know what the pointers point at.
 *
 * These steps do not change a region's status: its layer version exists and is shared, so its ARN is in the outputs,
 * the record and the release. A region whose pointers or clean-up failed is a *problem*: an error annotation, a row
 * in the summary, and a failed step under `fail-on: any` (the user asked for it and did not get it); `all` and `none`
 * judge the layer alone. A rerun repairs it: the region is then `unchanged`, and the pointers and clean-up run again.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { SSMClient } from '@aws-sdk/client-ssm';
import pLimit from 'p-limit';
import { parseLayerVersionArn } from '../../aws/arn.js';
import type { FailOn, ResultRecord } from '../../record/index.js';
import type { Logger, PublishPlan, RegionOutcome } from '../plan.js';
import type { PublishSettings } from '../../settings/publish.js';
import { failureReason } from '../../aws/step.js';
import { retryRegion, type RegionRetryDeps } from '../../aws/region-retry.js';
import { applyRetention, RECENT_MS, type RegionRetention } from './retention.js';
import { pointerValues, writeSsmPointers, type RegionPointers } from './ssm-pointers.js';

export interface FollowUpProblem {
  region: string;
  /** What did not happen, e.g. "SSM pointers". */
  what: string;
  error: string;
}

export interface FollowUp {
  /** Per region, for `ssm-prefix`; undefined when it is not set or in a dry run. */
  pointers?: RegionPointers[];
  /** Per region, for `keep-versions`; undefined when it is 0. */
  retention?: RegionRetention[];
  problems: FollowUpProblem[];
}

export interface FollowUpDeps extends Pick<RegionRetryDeps, 'sleep' | 'now'> {
  clients: { lambda(region: string): LambdaClient; ssm(region: string): SSMClient };
  logger: Logger;
}

/** region -> ARN of every region that has the release now (published or reused). */
export function availableArns(outcomes: RegionOutcome[]): Record<string, string> {
  const arns: Record<string, string> = {};
  for (const o of outcomes) {
    if ((o.status === 'published' || o.status === 'unchanged') && o.arn) arns[o.region] = o.arn;
  }
  return arns;
}

async function pointers(
  settings: PublishSettings,
  plan: PublishPlan,
  arns: Record<string, string>,
  deps: FollowUpDeps,
): Promise<RegionPointers[] | undefined> {
  if (settings.ssmPrefix === undefined) return undefined;
  if (plan.dryRun) {
    deps.logger.info('Dry run: SSM pointers not written.');
    return undefined;
  }
  return writeSsmPointers({
    prefix: settings.ssmPrefix,
    name: plan.layer.name,
    version: plan.layer.version,
    ...(plan.layer.commit ? { commit: plan.layer.commit } : {}),
    arns,
    ssmFor: (region) => deps.clients.ssm(region),
    lambdaFor: (region) => deps.clients.lambda(region),
    logger: deps.logger,
  });
}

/** Version numbers of this layer in `region` that the layer's SSM pointers point at (none without ssm-prefix). */
async function pointedVersions(settings: PublishSettings, name: string, region: string, deps: FollowUpDeps) {
  const pointed = new Set<number>();
  if (settings.ssmPrefix === undefined) return pointed;
  for (const value of await pointerValues(deps.clients.ssm(region), settings.ssmPrefix, name)) {
    const arn = parseLayerVersionArn(value);
    if (arn && arn.layerName === name && arn.region === region) pointed.add(arn.version);
  }
  return pointed;
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

async function retention(
  settings: PublishSettings,
  plan: PublishPlan,
  outcomes: RegionOutcome[],
  deps: FollowUpDeps,
): Promise<RegionRetention[] | undefined> {
  const keep = settings.keepVersions;
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
                lambda: deps.clients.lambda(o.region),
                ...(o.status === 'planned' ? {} : { own: o.version }),
                release: plan.marker,
                pending: o.status === 'planned',
                dryRun: plan.dryRun,
                pointed: () => pointedVersions(settings, name, o.region, deps),
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

export async function followUpRegions(
  settings: PublishSettings,
  plan: PublishPlan,
  outcomes: RegionOutcome[],
  deps: FollowUpDeps,
  /** Problems found before (align-versions: fillers not deleted, numbers that differ). */
  earlier: FollowUpProblem[] = [],
): Promise<FollowUp> {
  const arns = availableArns(outcomes);
  const problems: FollowUpProblem[] = [...earlier];
  for (const o of outcomes) if (o.problem) problems.push({ region: o.region, ...o.problem });
  const written = await pointers(settings, plan, arns, deps);
  for (const r of written ?? []) {
    if (r.error) problems.push({ region: r.region, what: 'SSM pointers', error: r.error });
  }
  const cleaned = await retention(settings, plan, outcomes, deps);
  for (const r of cleaned ?? []) {
    if (r.error) problems.push({ region: r.region, what: 'Deleting old versions', error: r.error });
  }
  return { ...(written ? { pointers: written } : {}), ...(cleaned ? { retention: cleaned } : {}), problems };
}

/** The step's failure for the follow-up problems under `fail-on`, or undefined. */
export function followUpFailure(followUp: FollowUp, record: ResultRecord, failOn: FailOn): string | undefined {
  if (failOn !== 'any' || followUp.problems.length === 0) return undefined;
  const byWhat = new Map<string, string[]>();
  for (const p of followUp.problems) byWhat.set(p.what, [...(byWhat.get(p.what) ?? []), p.region]);
  const parts = [...byWhat].map(([what, regions]) => `${what} failed in ${regions.sort().join(', ')}`);
  return `Layer '${record.name}' ${record.version} is published, but ${parts.join('; ')} (fail-on: any).`;
}
