/**
 * The `rollout` command: inputs -> settings (all checked before any call) -> regions -> versions (aws: each region's
 * markers; github: the releases' records) -> src/rollout -> log table, outputs, result record, job summary ->
 * `fail-on`. The only rollout code that touches @actions/core.
 */
import * as core from '@actions/core';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsClients } from '../aws/clients.js';
import { actionSession } from './aws.js';
import { enabledRegions, resolveRegions } from '../aws/regions.js';
import { FailOnVerdict } from '../errors.js';
import { listGitHubCandidates } from '../resolve/github.js';
import type { Candidate } from '../resolve/range.js';
import {
  planText,
  rolloutFailure,
  rolloutOutputs,
  rolloutRecord,
  summaryTitle,
  TABLE_HEADER,
  tableRows,
} from '../rollout/result.js';
import { rollout, type RolloutRun } from '../rollout/rollout.js';
import { parseRolloutSettings, ROLLOUT_INPUTS, type RolloutSettings } from '../settings/rollout.js';
import { gatherInputs } from './inputs.js';
import { octokitFor } from './octokit.js';
import type { StepTiming } from './publish.js';

export const RolloutOutputs = {
  updated: 'updated',
  unchanged: 'unchanged',
  failedFunctions: 'failed-functions',
  resultPath: 'result-path',
} as const;

export function getRolloutSettings(env: NodeJS.ProcessEnv = process.env): RolloutSettings {
  return parseRolloutSettings(gatherInputs(ROLLOUT_INPUTS), env);
}

const REAL_TIME: StepTiming = { sleep: (ms) => sleep(ms), now: () => Date.now() };

async function githubCandidates(settings: RolloutSettings): Promise<Map<string, Candidate[]>> {
  const { owner, repo } = settings.repository!;
  const { candidates, records } = await listGitHubCandidates({
    octokit: octokitFor(settings.githubToken ?? ''),
    owner,
    repo,
    name: settings.name,
    logger: { warning: (m) => core.warning(m) },
  });
  core.info(`Read ${records} release record(s) of '${settings.name}' in ${owner}/${repo}.`);
  return candidates;
}

/** Reads the regions and versions and rolls out with the clients and retry settings the action ships. */
export async function rolloutStep(
  env: NodeJS.ProcessEnv = process.env,
  settings: RolloutSettings = getRolloutSettings(env),
  timing: StepTiming = REAL_TIME,
): Promise<RolloutRun> {
  const session = actionSession(settings.credentials, settings.regions.partition, env);
  const clients = new AwsClients({ credentials: session.provider });
  try {
    await session.check(timing.sleep);
    const regions = await resolveRegions(settings.regions, async (home) => enabledRegions(clients.ec2(home)));
    const optional = new Set(regions.filter((r) => !settings.regions.named.includes(r)));
    const candidates = settings.source === 'github' ? await githubCandidates(settings) : undefined;
    return await rollout(
      {
        name: settings.name,
        regions,
        optional,
        functions: settings.functions,
        ...(settings.alias ? { alias: settings.alias } : {}),
        maxParallel: settings.maxParallel,
        dryRun: settings.dryRun,
        ...(candidates ? { candidates } : {}),
      },
      {
        lambdaFor: (r) => clients.lambda(r),
        sleep: timing.sleep,
        now: timing.now,
        logger: { info: (m) => core.info(m), warning: (m) => core.warning(m) },
      },
    );
  } finally {
    clients.destroy();
  }
}

async function writeResult(settings: RolloutSettings, run: RolloutRun, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), 'lambda-layer-release');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${settings.name}.rollout.json`);
  await writeFile(file, `${JSON.stringify(rolloutRecord(settings.name, run, settings.dryRun), null, 2)}\n`);
  return file;
}

/** Table in the log, outputs, record, annotations and summary: for every run, failed functions included. */
export async function reportRollout(
  settings: RolloutSettings,
  run: RolloutRun,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const title = summaryTitle(settings.name, run, settings.dryRun);
  core.info(`${title}\n${planText(run, settings.dryRun)}`);
  if (run.leftOut.length) core.info(`Left out ${run.leftOut.length} region(s) not enabled: ${run.leftOut.join(', ')}.`);
  const outputs = rolloutOutputs(run);
  core.setOutput(RolloutOutputs.updated, JSON.stringify(outputs.updated));
  core.setOutput(RolloutOutputs.unchanged, JSON.stringify(outputs.unchanged));
  core.setOutput(RolloutOutputs.failedFunctions, JSON.stringify(outputs.failedFunctions));
  core.setOutput(RolloutOutputs.resultPath, await writeResult(settings, run, env));
  for (const o of run.outcomes.filter((x) => x.status === 'failed')) {
    core.error(`${o.region} ${o.function}: ${o.error ?? 'failed'}`, {
      title: `Function ${o.function} not moved to the new ${settings.name} in ${o.region}`,
    });
  }
  for (const f of run.regionFailures) {
    core.error(`${f.region}: ${f.error}`, { title: `Rollout of ${settings.name} not done in ${f.region}` });
  }
  if (!env.GITHUB_STEP_SUMMARY) return;
  const header = TABLE_HEADER.map((data) => ({ data, header: true }));
  await core.summary
    .addHeading(title, 3)
    .addTable([header, ...tableRows(run, settings.dryRun)])
    .write();
}

export async function runRollout(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // JSON outputs parse in every case, also when a bad input stops the step.
  core.setOutput(RolloutOutputs.updated, '{}');
  core.setOutput(RolloutOutputs.unchanged, '[]');
  core.setOutput(RolloutOutputs.failedFunctions, '[]');
  const settings = getRolloutSettings(env);
  const run = await rolloutStep(env, settings);
  await reportRollout(settings, run, env);
  const problem = rolloutFailure(settings.name, run, settings.failOn);
  if (problem) throw new FailOnVerdict(problem);
}
