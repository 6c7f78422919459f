/**
 * The `publish` command: inputs -> settings -> publishLayer (src/publish) -> outputs, result record, job summary,
 * annotations -> `fail-on`. The only publish code that touches @actions/core.
 */
import * as core from '@actions/core';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { artifactServiceProblem, artifactStoreAvailable, artifactStoreFromEnv } from '../artifact/index.js';
import type { ArtifactStore } from '../artifact/store.js';
import { AwsClients } from '../aws/clients.js';
import { actionSession } from './aws.js';
import { ConfigurationError, type ServiceError, stepFailure } from '../errors.js';
import type { PublishPlan, RegionOutcome } from '../publish/plan.js';
import { legArtifactFor } from '../release/legs.js';
import { defaultBackoffMs, DEFAULT_PUBLISH_ATTEMPTS } from '../publish/region/publish-call.js';
import { publishLayer, type PublishDeps, type PublishRun } from '../publish/publish.js';
import { followUpFailure } from '../publish/follow-ups/follow-ups.js';
import { cell, pointerTable, progressLine, retentionTable, SUMMARY_HEADER, summaryRows } from '../publish/result.js';
import type { SourceDeps } from '../publish/source/load-zip.js';
import { failureMessage, recordOutputs, serializeRecord, type ResultRecord } from '../record/index.js';
import { parsePublishSettings, PUBLISH_INPUTS, type PublishSettings } from '../settings/publish.js';
import { gatherInputs } from './inputs.js';
import { checkRelease, releasePlan, uploadLeg, writeRelease } from './publish-release.js';
import { octokitFor } from './octokit.js';

export const PublishOutputs = {
  arns: 'arns',
  versions: 'versions',
  layerVersionArn: 'layer-version-arn',
  failedRegions: 'failed-regions',
  unchangedRegions: 'unchanged-regions',
  resultPath: 'result-path',
} as const;

export function getPublishSettings(env: NodeJS.ProcessEnv = process.env): PublishSettings {
  return parsePublishSettings(gatherInputs(PUBLISH_INPUTS), env.AWS_REGION || env.AWS_DEFAULT_REGION);
}

/** The store an artifact source reads, or one line saying why there is none here and what to do instead. */
function artifactStoreFor(env: NodeJS.ProcessEnv): ArtifactStore {
  const problem = artifactServiceProblem(env);
  if (problem) {
    throw new ConfigurationError(
      `Input 'zip' is empty, so the layer is taken from a workflow artifact, but ${problem}; build with 'upload: false' and publish with 'zip' in the same job.`,
    );
  }
  return artifactStoreFromEnv(env);
}

function repositoryOf(env: NodeJS.ProcessEnv): { owner: string; repo: string } | undefined {
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  return owner && repo ? { owner, repo } : undefined;
}

function sourceDeps(settings: PublishSettings, env: NodeJS.ProcessEnv, store?: ArtifactStore): SourceDeps {
  const repository = repositoryOf(env);
  const token = settings.githubToken;
  const needsStore = settings.source.kind === 'artifact';
  return {
    ...(needsStore ? { store: store ?? artifactStoreFor(env) } : {}),
    ...(token ? { token } : {}),
    ...(repository ? { repository } : {}),
    ...(env.GITHUB_RUN_ID ? { currentRunId: Number(env.GITHUB_RUN_ID) } : {}),
    workDir: path.join(env.RUNNER_TEMP || os.tmpdir(), 'lambda-layer-release', 'download'),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    context: { ref: env.GITHUB_REF, sha: env.GITHUB_SHA },
    runsForCommit: async () => {
      if (!token || !repository || !env.GITHUB_SHA) {
        throw new ConfigurationError(
          "Input 'run-id': 'auto' needs 'github-token' (actions: read), GITHUB_REPOSITORY and GITHUB_SHA.",
        );
      }
      const octokit = octokitFor(token);
      const { data } = await octokit.rest.actions.listWorkflowRunsForRepo({
        ...repository,
        head_sha: env.GITHUB_SHA,
        per_page: 100,
      });
      return data.workflow_runs.map((r) => ({
        id: r.id,
        event: r.event,
        status: r.status ?? '',
        conclusion: r.conclusion ?? null,
        createdAt: r.created_at,
      }));
    },
  };
}

/**
 * This process's peak RSS in KiB, for memory checks (tests, bench) and curious readers. VmHWM belongs to the
 * process's own memory map; getrusage's maxRSS does not: Linux carries the parent's peak across fork and exec.
 */
function peakRssKiB(): number {
  try {
    return Number(/VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}

/** How the step waits and tells the time. Tests pass a virtual clock that makes waits instant, never fewer waits. */
export interface StepTiming {
  sleep(ms: number): Promise<void>;
  now(): number;
}

const REAL_TIME: StepTiming = { sleep: (ms) => sleep(ms), now: () => Date.now() };

/**
 * Reads inputs and publishes with the clients and retry settings the action ships; every region's outcome is in the
 * returned run, failed ones included.
 */
export async function publishStep(
  env: NodeJS.ProcessEnv = process.env,
  store?: ArtifactStore,
  settings: PublishSettings = getPublishSettings(env),
  timing: StepTiming = REAL_TIME,
  hooks: Pick<PublishDeps, 'onPlanned' | 'onRecord'> = {},
): Promise<PublishRun> {
  const session = actionSession(settings.credentials, settings.regions.partition, env);
  const credentials = session.provider;
  const clients = new AwsClients({ credentials });
  try {
    return await publishLayer(settings, {
      source: sourceDeps(settings, env, store),
      clients,
      checkCredentials: () => session.check((ms: number) => sleep(ms)),
      logger: { info: (m) => core.info(m), warning: (m) => core.warning(m), debug: (m) => core.debug(m) },
      sleep: timing.sleep,
      now: timing.now,
      backoffMs: defaultBackoffMs,
      publishAttempts: Number(env.AWS_MAX_ATTEMPTS) >= 1 ? Number(env.AWS_MAX_ATTEMPTS) : DEFAULT_PUBLISH_ATTEMPTS,
      rssBytes: () => process.memoryUsage().rss,
      // s3-bucket: auto names its buckets from the account: the credentials' own, else STS (no permission needed).
      accountId: async () => {
        const own = (await credentials()).accountId;
        if (own) return own;
        const sts = new STSClient({ region: session.stsRegion, credentials });
        try {
          return (await sts.send(new GetCallerIdentityCommand({}))).Account!;
        } finally {
          sts.destroy();
        }
      },
      onRegionDone: (outcome, plan) => core.info(progressLine(outcome, plan.dryRun)),
      ...hooks,
    });
  } finally {
    clients.destroy();
    core.debug(`Peak RSS: ${Math.round(peakRssKiB() / 1024)} MiB`);
  }
}

async function writeResult(run: PublishRun, env: NodeJS.ProcessEnv): Promise<string> {
  const dir = path.join(env.RUNNER_TEMP || os.tmpdir(), 'lambda-layer-release');
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, `${run.record.name}.result.json`);
  await writeFile(file, serializeRecord(run.record));
  return file;
}

const headerRow = (names: string[]) => names.map((data) => ({ data, header: true }));

/** The summary's heading says at a glance whether the layer went out: `Published in 33 of 34 regions: ...`. */
export function summaryTitle(run: Pick<PublishRun, 'plan' | 'outcomes'>): string {
  const { layer, dryRun } = run.plan;
  const what = `Lambda layer ${layer.name} ${layer.version}`;
  if (dryRun) return `Plan (dry run, nothing changed): ${what}`;
  const total = run.outcomes.length;
  const failed = run.outcomes.filter((o) => o.status === 'failed').length;
  if (failed === 0) return `Published: ${what}`;
  if (failed === total) return `Not published: ${what} (failed in every region)`;
  return `Published in ${total - failed} of ${total} regions: ${what}`;
}

async function writeSummary(run: PublishRun, outcomes: RegionOutcome[]): Promise<void> {
  const { layer, dryRun } = run.plan;
  const title = summaryTitle(run);
  const summary = core.summary
    .addHeading(title, 3)
    .addRaw(`sha256 \`${layer.sha256}\`, ${layer.size} bytes, from ${cell(layer.origin)}`, true)
    .addTable([headerRow(SUMMARY_HEADER), ...summaryRows(outcomes, dryRun)]);
  const { pointers, retention } = run.followUp;
  if (pointers?.length) {
    const [names, ...rows] = pointerTable(pointers);
    summary.addHeading('SSM pointers', 4).addTable([headerRow(names), ...rows]);
  }
  if (retention?.length) {
    const [names, ...rows] = retentionTable(retention, dryRun);
    summary.addHeading(`Old versions (keep-versions: ${run.settings.keepVersions})`, 4);
    summary.addTable([headerRow(names), ...rows]);
  }
  await summary.write();
}

/** Outputs, result record, summary and annotations: done for every run, also when regions failed. */
export async function reportPublish(run: PublishRun, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const outputs = recordOutputs(run.record);
  core.setOutput(PublishOutputs.arns, JSON.stringify(outputs.arns));
  core.setOutput(PublishOutputs.versions, JSON.stringify(outputs.versions));
  if (outputs.layerVersionArn) core.setOutput(PublishOutputs.layerVersionArn, outputs.layerVersionArn);
  core.setOutput(PublishOutputs.failedRegions, JSON.stringify(outputs.failedRegions));
  core.setOutput(PublishOutputs.unchangedRegions, JSON.stringify(outputs.unchangedRegions));
  core.setOutput(PublishOutputs.resultPath, await writeResult(run, env));
  for (const o of run.outcomes.filter((x) => x.status === 'failed')) {
    core.error(`${o.region}: ${o.error ?? 'failed'}`, {
      title: `Layer ${run.record.name} not published in ${o.region}`,
    });
  }
  for (const p of run.followUp.problems) {
    core.error(`${p.region}: ${p.what}: ${p.error}`, {
      title: `${p.what} of layer ${run.record.name} not done in ${p.region} (the layer is published)`,
    });
  }
  if (env.GITHUB_STEP_SUMMARY) await writeSummary(run, run.outcomes);
}

/**
 * Inputs (the release target included) -> publish -> outputs and summary -> leg record -> release -> exit. The
 * step fails when `fail-on` says so or when the release could not be written; outputs are set in every case.
 */
export async function runPublish(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  // The JSON outputs parse in every case: a step that stops on a bad input still leaves `{}` and `[]`, so a later
  // `fromJSON(steps.publish.outputs.arns)` (in an `if: always()` step) reads "nothing" instead of failing on ''.
  for (const name of [PublishOutputs.arns, PublishOutputs.versions]) core.setOutput(name, '{}');
  for (const name of [PublishOutputs.failedRegions, PublishOutputs.unchangedRegions]) core.setOutput(name, '[]');
  const settings = getPublishSettings(env);
  const release = await checkRelease(releasePlan(settings, env), settings.githubToken ?? '');
  const store = artifactStoreAvailable(env) ? artifactStoreFromEnv(env) : undefined;
  // The leg record costs a one-job publish as little as it can: while the regions are published, one left under its
  // name by an earlier run of this step in this job (the name is per job attempt) is deleted (one look-up and one
  // delete, together shorter than a rerun's regions); the record is uploaded as soon as the regions are final, while
  // the follow-ups run and the release is written.
  let legCleared: Promise<unknown> | undefined;
  let legUpload: Promise<ServiceError | undefined> | undefined;
  const onPlanned = (plan: PublishPlan) => {
    if (!store?.delete || plan.dryRun) return;
    const name = legArtifactFor(plan.layer.name, plan.regions, env, settings.credentials.roleToAssume);
    legCleared = store
      .delete(name)
      .then((id) => {
        if (id === undefined) return;
        core.info(`Artifact ${name} (id ${id}), from an earlier run of this step, is replaced by this run's record.`);
      })
      // A failed delete: the upload finds out (refused, then it replaces the artifact itself).
      .catch(() => undefined);
  };
  // publishLayer tells the record before it returns, dry runs included (uploadLeg skips those).
  const onRecord = (record: ResultRecord, plan: PublishPlan) => {
    legUpload = uploadLeg({ record, plan, settings }, store, env, legCleared);
  };
  const run = await publishStep(env, store, settings, REAL_TIME, { onPlanned, onRecord });
  await reportPublish(run, env);
  const [legProblem, releaseProblem] = await Promise.all([
    legUpload!,
    writeRelease(run, release, settings.githubToken ?? ''),
  ]);
  const failure = stepFailure([
    failureMessage(run.record, run.settings.failOn),
    followUpFailure(run.followUp, run.record, run.settings.failOn),
    legProblem,
    releaseProblem,
  ]);
  if (failure) throw failure;
}
