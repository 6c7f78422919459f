/**
 * align-versions in effect: read every region, plan (alignment.ts), publish fillers where regions lag, and only then let
 * the regions publish: every region waits until all padding is done, so the real versions go out together.
 *
 * AWS does not list deleted versions, so a region may turn out to be further ahead than it looked: a filler (or the
 * real version) comes back with a higher number than planned. Padding then aims higher (up to 3 rounds), and with
 * `pad`, versions that still differ after publishing get one more pass, exactly as a rerun would: the regions that
 * are behind pad up and publish the release again. Fillers are deleted at the end (numbers are never reused).
 */
import { DeleteLayerVersionCommand, PublishLayerVersionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { isStepOutcome } from '../../errors.js';
import {
  describeAlignment,
  isPadding,
  paddingDescription,
  PADDING_ZIP,
  planAlignment,
  type AlignMode,
  type AlignmentPlan,
  type RegionState,
} from './alignment.js';
import { sameMarker } from '../../record/index.js';
import type { FollowUpProblem, Logger, PublishPlan, RegionOutcome } from '../plan.js';
import { retryRegion } from '../../aws/region-retry.js';
import { failureReason, step } from '../../aws/step.js';
import { getVersion, listAllVersions, newestVersion } from '../versions.js';

const MAX_ROUNDS = 3;

export interface AlignDeps {
  clients: { lambda(region: string): LambdaClient };
  logger: Logger;
  now(): number;
  /** The reads, fillers and filler deletes are retried as a region's chain is (aws/region-retry.ts). */
  sleep(ms: number): Promise<void>;
  onRegionDone?(outcome: RegionOutcome): void;
}

export interface AlignedRun {
  outcomes: RegionOutcome[];
  /** The number every region was to get. */
  target?: number;
  /** Fillers that could not be deleted, versions that still differ. */
  problems: FollowUpProblem[];
}

async function probe(plan: PublishPlan, region: string, lambda: LambdaClient): Promise<RegionState> {
  const name = plan.layer.name;
  const newest = await newestVersion(lambda, name);
  if (!newest) return { region, newest: 0 };
  if (plan.skipUnchanged && sameMarker(newest.marker, plan.marker)) {
    const stored = await getVersion(lambda, name, newest.version);
    if (stored.codeSha256 === plan.layer.codeSha256)
      return { region, newest: newest.version, reusable: newest.version };
  }
  return { region, newest: newest.version };
}

/** Publishes at most `count` fillers, stopping once the region's next number is the target; returns the last number. */
async function pad(lambda: LambdaClient, name: string, state: RegionState, count: number, target: number) {
  let last = state.newest;
  for (let sent = 0; sent < count && last < target - 1; sent++) {
    const request = { LayerName: name, Content: { ZipFile: PADDING_ZIP }, Description: paddingDescription(target) };
    const answer = await step('PublishLayerVersion', () => lambda.send(new PublishLayerVersionCommand(request)));
    last = answer.Version ?? last + 1;
  }
  return last;
}

interface Round {
  states: RegionState[];
  plan: AlignmentPlan;
}

/** Reads every live region (in parallel); a region that cannot be read fails here and is left out. */
async function readRegions(plan: PublishPlan, regions: string[], deps: AlignDeps, failed: RegionOutcome[]) {
  const limit = pLimit(plan.maxParallel === 'auto' ? Math.max(1, regions.length) : plan.maxParallel);
  const states = await Promise.all(
    regions.map((region) =>
      limit(async () => {
        const started = deps.now();
        try {
          return await retryRegion(() => probe(plan, region, deps.clients.lambda(region)), deps);
        } catch (err) {
          fail(failed, region, failureReason(err), (deps.now() - started) / 1000, deps);
          return undefined;
        }
      }),
    ),
  );
  return states.filter((s): s is RegionState => s !== undefined);
}

function fail(failed: RegionOutcome[], region: string, error: string, seconds: number, deps: AlignDeps): void {
  const outcome: RegionOutcome = { region, status: 'failed', error, sharing: [], added: [], seconds };
  failed.push(outcome);
  deps.onRegionDone?.(outcome);
}

/**
 * Plans, then pads until every region's next number is the target (or the rounds run out). Strict mismatches and
 * oversized gaps throw before anything is published.
 */
async function alignRegions(
  plan: PublishPlan,
  mode: AlignMode,
  deps: AlignDeps,
  failed: RegionOutcome[],
  padded: Set<string>,
): Promise<AlignmentPlan> {
  let round: Round | undefined;
  for (let n = 1; n <= MAX_ROUNDS; n++) {
    const live = plan.regions.filter((r) => !failed.some((f) => f.region === r));
    const states = await readRegions(plan, live, deps, failed);
    round = { states, plan: planAlignment(states, mode) };
    if (n === 1) for (const line of describeAlignment(round.plan, states, plan.dryRun)) deps.logger.info(line);
    const work = states.filter((s) => round!.plan.fillers[s.region]);
    if (plan.dryRun || work.length === 0) return round.plan;
    const target = round.plan.target;
    const reached = await Promise.all(
      work.map(async (s) => {
        padded.add(s.region);
        try {
          const lambda = deps.clients.lambda(s.region);
          const fillers = round!.plan.fillers[s.region];
          // A retry starts from what the region holds now: fillers that went through are not sent again.
          return await retryRegion(async (attempt) => {
            const newest = attempt === 1 ? s.newest : ((await newestVersion(lambda, plan.layer.name))?.version ?? 0);
            return pad(lambda, plan.layer.name, { ...s, newest }, fillers, target);
          }, deps);
        } catch (err) {
          fail(failed, s.region, `padding toward version ${target}: ${failureReason(err)}`, 0, deps);
          return target - 1;
        }
      }),
    );
    const ahead = Math.max(...reached);
    if (ahead < target) return round.plan;
    deps.logger.info(
      `align-versions: a region went past version ${target - 1} while padding (deleted versions AWS does not list, or another publish); aiming at ${ahead + 1}.`,
    );
  }
  return round!.plan;
}

/** Deletes every filler version of the layer in `region`; returns the numbers deleted. */
async function deletePadding(lambda: LambdaClient, name: string): Promise<number[]> {
  const all = await listAllVersions(lambda, name);
  const fillers = all.filter((v) => isPadding(v.description)).map((v) => v.version);
  for (const version of fillers) {
    await step('DeleteLayerVersion', () =>
      lambda.send(new DeleteLayerVersionCommand({ LayerName: name, VersionNumber: version })),
    );
  }
  return fillers;
}

/** A region's outcome over two passes: published in either pass counts as published. */
function merge(earlier: RegionOutcome | undefined, later: RegionOutcome): RegionOutcome {
  if (earlier?.status === 'published' && later.status === 'unchanged') return { ...later, status: 'published' };
  return later;
}

export async function publishAligned(
  plan: PublishPlan,
  mode: AlignMode,
  deps: AlignDeps,
  publish: (plan: PublishPlan) => Promise<RegionOutcome[]>,
): Promise<AlignedRun> {
  const failed: RegionOutcome[] = [];
  const padded = new Set<string>();
  const results = new Map<string, RegionOutcome>();
  const problems: FollowUpProblem[] = [];
  let target: number | undefined;
  for (let pass = 1; pass <= 2; pass++) {
    let aligned: AlignmentPlan;
    try {
      aligned = await alignRegions(plan, mode, deps, failed, padded);
    } catch (err) {
      // A second pass that cannot be planned keeps the first pass's versions; the check below reports them.
      if (pass === 1 || !isStepOutcome(err)) throw err;
      deps.logger.warning(err.message);
      break;
    }
    target = aligned.target;
    const regions = plan.regions.filter((r) => !failed.some((f) => f.region === r));
    const outcomes = await publish({ ...plan, regions, align: { target, republish: aligned.republish } });
    for (const o of outcomes) results.set(o.region, merge(results.get(o.region), o));
    const numbers = new Set(outcomes.filter((o) => o.status !== 'failed').map((o) => o.version));
    if (plan.dryRun || mode === 'strict' || numbers.size <= 1) break;
    if (pass === 1) deps.logger.info('align-versions: the regions got different numbers; padding once more.');
    for (const o of outcomes) if (o.status === 'failed') failed.push(o);
  }
  await Promise.all(
    [...padded].map(async (region) => {
      try {
        const gone = await retryRegion(() => deletePadding(deps.clients.lambda(region), plan.layer.name), deps);
        if (gone.length) deps.logger.info(`${region}: deleted filler version(s) ${gone.join(', ')}.`);
      } catch (err) {
        problems.push({ region, what: 'Deleting filler versions', error: failureReason(err) });
      }
    }),
  );
  const outcomes = plan.regions.map((r) => results.get(r) ?? failed.find((f) => f.region === r)!);
  for (const o of outcomes) {
    if ((o.status === 'published' || o.status === 'unchanged') && o.version !== target) {
      problems.push({ region: o.region, what: 'Version alignment', error: `got version ${o.version}, not ${target}` });
    }
  }
  return { outcomes, target, problems };
}
