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
import type { FailOn, ResultRecord } from '../../record/index.js';
import type { FollowUpProblem, Logger, PublishPlan, RegionOutcome } from '../plan.js';
import type { PublishSettings } from '../../settings/publish.js';
import type { RegionRetryDeps } from '../../aws/region-retry.js';
import { keepVersions, type RegionRetention } from './retention.js';
import { pointedVersions, writeSsmPointers, type RegionPointers } from './ssm-pointers.js';

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

/** Version numbers of this layer in `region` that its SSM pointers point at (none without ssm-prefix). */
async function pointed(settings: PublishSettings, name: string, region: string, deps: FollowUpDeps) {
  if (settings.ssmPrefix === undefined) return new Set<number>();
  return pointedVersions(deps.clients.ssm(region), settings.ssmPrefix, name, region);
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
  const cleaned = await keepVersions(settings.keepVersions, plan, outcomes, {
    ...deps,
    lambda: (region) => deps.clients.lambda(region),
    pointed: (region) => pointed(settings, plan.layer.name, region, deps),
  });
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
