/**
 * Every region at once; in each, the selected functions with at most `maxParallel` in flight (a real limit: p-limit
 * starts the next one only when one finishes). A region that cannot be listed fails as a whole (`region:*`), the
 * others go on; a function that fails is one outcome among the others.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import pLimit from 'p-limit';
import { classifyAwsError, describeAwsError } from '../aws/errors.js';
import { retryRegion } from '../aws/region-retry.js';
import { StepError, step } from '../aws/step.js';
import { listRegionCandidates } from '../resolve/aws.js';
import type { Candidate } from '../resolve/range.js';
import type { FunctionSelection } from '../settings/rollout.js';
import { listFunctionsUsing } from './functions.js';
import { rolloutFunction, type FunctionOutcome } from './update.js';

export interface RolloutOptions {
  name: string;
  regions: string[];
  /**
   * Regions the user did not name (`all`): one not enabled for the account is left out quietly, one where listing
   * is denied (an SCP closing unused regions) with a warning.
   */
  optional?: ReadonlySet<string>;
  functions: FunctionSelection;
  alias?: string;
  maxParallel: number;
  dryRun: boolean;
  /** Source github: every region's versions, read once; undefined: source aws, listed per region. */
  candidates?: Map<string, Candidate[]>;
}

export interface RolloutDeps {
  lambdaFor(region: string): LambdaClient;
  sleep(ms: number): Promise<void>;
  now(): number;
  logger: { info(message: string): void; warning(message: string): void };
}

export interface RegionFailure {
  region: string;
  error: string;
}

export interface RolloutRun {
  regions: string[];
  outcomes: FunctionOutcome[];
  regionFailures: RegionFailure[];
  /** Optional regions left out (not enabled, or denied). */
  leftOut: string[];
}

async function regionTargets(options: RolloutOptions, region: string, client: LambdaClient): Promise<string[]> {
  if (options.functions.kind === 'listed') {
    const here = options.functions.functions.filter((f) => !f.region || f.region === region);
    // `api` and the ARN of api in this region are one function: updated once, reported once.
    const named = new Set(here.filter((f) => !f.region).map((f) => f.name));
    return here.filter((f) => !f.region || !named.has(f.name)).map((f) => f.input);
  }
  return listFunctionsUsing(client, options.name);
}

async function rolloutRegion(options: RolloutOptions, region: string, deps: RolloutDeps): Promise<FunctionOutcome[]> {
  const client = deps.lambdaFor(region);
  const retry = { sleep: deps.sleep, now: deps.now };
  const [targets, candidates] = await retryRegion(
    () =>
      Promise.all([
        regionTargets(options, region, client),
        options.candidates
          ? Promise.resolve(options.candidates.get(region) ?? [])
          : step('ListLayerVersions', () => listRegionCandidates(client, options.name)),
      ]),
    retry,
  );
  const limit = pLimit(options.maxParallel);
  const range = options.functions.kind === 'listed' ? options.functions.range : undefined;
  const outcomes = await Promise.all(
    targets.map((fn) =>
      limit(() =>
        rolloutFunction(
          {
            region,
            function: fn,
            layerName: options.name,
            candidates,
            ...(range ? { range } : {}),
            ...(options.alias ? { alias: options.alias } : {}),
            dryRun: options.dryRun,
          },
          { client, sleep: deps.sleep, now: deps.now, logger: deps.logger },
        ),
      ),
    ),
  );
  const skipped = outcomes.filter((o) => o.status === 'skipped').length;
  if (skipped > 0) {
    deps.logger.info(`${region}: ${skipped} function(s) use layer ${options.name} without opting in; left alone.`);
  }
  return outcomes.filter((o) => o.status !== 'skipped');
}

export async function rollout(options: RolloutOptions, deps: RolloutDeps): Promise<RolloutRun> {
  const run: RolloutRun = { regions: options.regions, outcomes: [], regionFailures: [], leftOut: [] };
  await Promise.all(
    options.regions.map(async (region) => {
      try {
        run.outcomes.push(...(await rolloutRegion(options, region, deps)));
      } catch (err) {
        const cause = err instanceof StepError ? err.cause : err;
        const operation = err instanceof StepError ? err.operation : 'ListFunctions';
        const kind = classifyAwsError(cause);
        // As resolve does: a region the user did not name that is not enabled, or closed by an SCP, is left out.
        if (options.optional?.has(region) && (kind === 'not-enabled' || kind === 'access-denied')) {
          if (kind === 'access-denied')
            deps.logger.warning(`${region} left out: ${describeAwsError(cause, operation)}.`);
          run.leftOut.push(region);
          return;
        }
        run.regionFailures.push({ region, error: describeAwsError(cause, operation) });
      }
    }),
  );
  run.leftOut.sort();
  return run;
}
