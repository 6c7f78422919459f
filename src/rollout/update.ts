/**
 * One function's rollout: read, plan, UpdateFunctionConfiguration guarded by the RevisionId just read, then wait for
 * LastUpdateStatus. A concurrent change (412 PreconditionFailed) is read again and planned again, so it is neither
 * overwritten nor lost; an update in progress (409 ResourceConflict, or a function found InProgress) is waited for.
 * Both are bounded. Throttles, 5xx and resets re-run the whole chain with the project's region retry policy
 * (src/aws/region-retry.ts): it starts with a fresh read, and an update this run sent whose answer was lost is
 * recognised by its layers instead of being reported "unchanged".
 */
import { UpdateFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { classifyAwsError } from '../aws/errors.js';
import { isTransient, retryRegion } from '../aws/region-retry.js';
import { failureReason, StepError, step } from '../aws/step.js';
import type { Candidate, VersionRange } from '../resolve/range.js';
import { ensureAlias, type AliasOutcome } from './alias.js';
import { FunctionFailure, isBusy, readFunction, type FunctionDeps } from './functions.js';
import { describeFrom, planFunction, type FunctionView, type Plan } from './plan.js';

/** Re-plans after a 412 before giving up: someone else keeps changing the function. */
export const MAX_REPLANS = 5;
/** 409s waited out before giving up. */
export const MAX_CONFLICT_WAITS = 5;
/** How long an update may stay InProgress before the function is reported failed (AWS takes seconds, rarely minutes). */
export const SETTLE_TIMEOUT_MS = 300_000;
const POLL_MS = [1_000, 2_000, 3_000, 5_000];

export interface FunctionJob {
  region: string;
  /** Name or ARN, as selected. */
  function: string;
  layerName: string;
  candidates: Candidate[];
  /** Listed functions: the `version` range; tagged ones read their tag. */
  range?: VersionRange;
  alias?: string;
  dryRun: boolean;
}

export type FunctionStatus = 'updated' | 'unchanged' | 'failed' | 'planned' | 'skipped';

export interface FunctionOutcome {
  region: string;
  function: string;
  arn?: string;
  status: FunctionStatus;
  from: string;
  to: string;
  why: string;
  /** The layer version ARN the function uses after the run (updated, unchanged, planned). */
  layerArn?: string;
  error?: string;
  alias?: AliasOutcome;
}

const toText = (c: Candidate) => `${c.semver} (:${c.layerVersion})`;

function errorName(err: unknown): string {
  const cause = err instanceof StepError ? err.cause : err;
  return (cause as { name?: string } | undefined)?.name ?? '';
}

/** Polls GetFunction until the function is neither Pending nor InProgress (bounded by SETTLE_TIMEOUT_MS). */
export async function waitSettled(deps: FunctionDeps, name: string): Promise<FunctionView> {
  const started = deps.now();
  for (let poll = 0; ; poll++) {
    const view = await readFunction(deps.client, name, false);
    if (!isBusy(view)) return view;
    if (deps.now() - started >= SETTLE_TIMEOUT_MS) {
      throw new FunctionFailure(
        `still ${view.lastUpdateStatus ?? view.state} after ${SETTLE_TIMEOUT_MS / 1000} s; not waited for any longer`,
      );
    }
    await deps.sleep(POLL_MS[Math.min(poll, POLL_MS.length - 1)]);
  }
}

function failedUpdate(view: FunctionView): string {
  const code = view.lastUpdateStatusReasonCode ? `${view.lastUpdateStatusReasonCode}: ` : '';
  return `LastUpdateStatus Failed: ${code}${view.lastUpdateStatusReason ?? 'AWS gave no reason'}`;
}

interface Attempt {
  /** The version this run asked for, once an update was sent (its answer may have been lost). */
  sent?: Candidate;
  plan?: Plan;
  arn?: string;
}

async function finish(
  job: FunctionJob,
  deps: FunctionDeps,
  view: FunctionView,
  to: Candidate,
  status: 'updated' | 'unchanged',
  base: Omit<FunctionOutcome, 'status' | 'region' | 'function'>,
): Promise<FunctionOutcome> {
  const outcome: FunctionOutcome = { region: job.region, function: view.name, status, ...base, layerArn: to.arn };
  if (!job.alias || job.dryRun) return outcome;
  try {
    outcome.alias = await ensureAlias(deps, view.arn, job.alias, to.arn);
  } catch (err) {
    // A transient failure runs the chain again (it finds the layers in place and retries the alias only).
    if (isTransient(err)) throw err;
    const where = status === 'updated' ? `$LATEST moved to ${toText(to)}` : `$LATEST is on ${toText(to)}`;
    throw new FunctionFailure(`${where}, but alias ${job.alias} was not moved: ${failureReason(err)}`);
  }
  return outcome;
}

type Base = Omit<FunctionOutcome, 'status' | 'region' | 'function' | 'to'>;
type Update = Extract<Plan, { action: 'update' }>;

/**
 * The outcome when nothing is to be sent: this run's update found in place (its answer lost, or settled since), a
 * function skipped, refused or kept, or a dry run's plan; undefined when the update is to be sent.
 */
async function withoutUpdate(
  job: FunctionJob,
  deps: FunctionDeps,
  view: FunctionView,
  state: Attempt,
  base: Base,
): Promise<FunctionOutcome | undefined> {
  const plan = state.plan!;
  if (state.sent && view.layers.includes(state.sent.arn)) {
    if (view.lastUpdateStatus === 'Failed') throw new FunctionFailure(failedUpdate(view));
    return finish(job, deps, view, state.sent, 'updated', { ...base, to: toText(state.sent) });
  }
  if (plan.action === 'skip') return { region: job.region, function: view.name, status: 'skipped', ...base, to: '-' };
  if (plan.action === 'refuse') throw new FunctionFailure(plan.problem);
  if (plan.action === 'keep') {
    const at = plan.atTarget && plan.from ? job.candidates.find((c) => c.arn === plan.from!.arn) : undefined;
    if (at) return finish(job, deps, view, at, 'unchanged', { ...base, to: '-' });
    return { region: job.region, function: view.name, status: 'unchanged', ...base, to: '-' };
  }
  if (job.dryRun) {
    return {
      region: job.region,
      function: view.name,
      status: 'planned',
      ...base,
      to: toText(plan.to),
      layerArn: plan.to.arn,
    };
  }
  return undefined;
}

/**
 * UpdateFunctionConfiguration guarded by the RevisionId just read. 'again' when the function is to be read again: it
 * changed since (412), or another change was in progress and has been waited for (409); both bounded.
 */
async function sendUpdate(
  job: FunctionJob,
  deps: FunctionDeps,
  view: FunctionView,
  plan: Update,
  round: number,
  waits: { conflicts: number },
): Promise<'sent' | 'again'> {
  try {
    await step('UpdateFunctionConfiguration', () =>
      deps.client.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: view.arn,
          Layers: plan.layers,
          ...(view.revisionId ? { RevisionId: view.revisionId } : {}),
        }),
      ),
    );
    return 'sent';
  } catch (err) {
    const name = errorName(err);
    if (name === 'PreconditionFailedException') {
      if (round >= MAX_REPLANS) {
        throw new FunctionFailure(
          `changed by someone else between each read and update (${round} times); not overwritten, not updated`,
        );
      }
      deps.logger.info(`${job.region} ${view.name}: changed since it was read (412); reading it again.`);
      return 'again';
    }
    if (name === 'ResourceConflictException') {
      const conflicts = ++waits.conflicts;
      if (conflicts > MAX_CONFLICT_WAITS) throw new FunctionFailure(`busy with other changes (${conflicts} x 409)`);
      deps.logger.info(`${job.region} ${view.name}: another change is in progress (409); waiting for it.`);
      const settled = await waitSettled(deps, view.arn);
      // Busy with something GetFunction does not show (a version being published): back off before the next read.
      if (!isBusy(settled)) await deps.sleep(POLL_MS[Math.min(conflicts - 1, POLL_MS.length - 1)]);
      return 'again';
    }
    throw err;
  }
}

async function attempt(job: FunctionJob, deps: FunctionDeps, state: Attempt): Promise<FunctionOutcome> {
  const withTags = job.range === undefined;
  const waits = { conflicts: 0 };
  for (let round = 1; ; round++) {
    let view = await readFunction(deps.client, job.function, withTags);
    if (isBusy(view)) {
      await waitSettled(deps, view.arn);
      view = await readFunction(deps.client, job.function, withTags);
    }
    state.arn = view.arn;
    const plan = planFunction(view, { layerName: job.layerName, candidates: job.candidates, range: job.range });
    state.plan = plan;
    const base = { arn: view.arn, from: describeFrom(plan), why: plan.why };
    const done = await withoutUpdate(job, deps, view, state, base);
    if (done) return done;
    // withoutUpdate answered every other action.
    const update = plan as Update;
    state.sent = update.to;
    if ((await sendUpdate(job, deps, view, update, round, waits)) === 'again') continue;
    const settled = await waitSettled(deps, view.arn);
    if (settled.lastUpdateStatus === 'Failed') throw new FunctionFailure(failedUpdate(settled));
    if (!settled.layers.includes(update.to.arn)) {
      deps.logger.info(`${job.region} ${view.name}: its layers were changed by someone else meanwhile; reading again.`);
      if (round >= MAX_REPLANS) throw new FunctionFailure('its layers keep being changed by someone else');
      continue;
    }
    return finish(job, deps, settled, update.to, 'updated', { ...base, to: toText(update.to) });
  }
}

/** The function's outcome; a failure is an outcome too (with AWS's reason), never an exception. */
export async function rolloutFunction(job: FunctionJob, deps: FunctionDeps): Promise<FunctionOutcome> {
  const state: Attempt = {};
  try {
    return await retryRegion(() => attempt(job, deps, state), {
      sleep: deps.sleep,
      now: deps.now,
      onRetry: (err, failed, delay) =>
        deps.logger.info(
          `${job.region} ${job.function}: ${failureReason(err)}; attempt ${failed + 1} in ${Math.round(delay / 1000)} s.`,
        ),
    });
  } catch (err) {
    const plan = state.plan;
    const notFound = err instanceof StepError && classifyAwsError(err.cause) === 'not-found' && !state.arn;
    return {
      region: job.region,
      function: state.arn ? (state.arn.split(':').pop() ?? job.function) : job.function,
      ...(state.arn ? { arn: state.arn } : {}),
      status: 'failed',
      from: plan ? describeFrom(plan) : '-',
      to: plan?.action === 'update' ? toText(plan.to) : '-',
      why: plan?.why ?? (notFound ? 'listed' : 'not read'),
      error: notFound ? `function not found in ${job.region}` : failureReason(err),
    };
  }
}
