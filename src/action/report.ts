/** `report`: after a publish matrix, merge the legs' result records and finish as a one-job publish would. */
import * as core from '@actions/core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifactServiceProblem, artifactStoreFromEnv } from '../artifact/index.js';
import { ConfigurationError, stepFailure, type StepOutcome } from '../errors.js';
import { releaseFailure } from '../release/failure.js';
import { updateRelease } from '../release/github.js';
import { failureMessage, recordOutputs, type ResultRecord } from '../record/index.js';
import { mergeLegs } from '../release/report.js';
import { renderSection } from '../release/section.js';
import { parseRepository, releaseRef } from '../settings/release.js';
import { parseReportSettings, REPORT_INPUTS, type ReportSettings } from '../settings/report.js';
import { gatherInputs } from './inputs.js';
import { octokitFor } from './octokit.js';

export function getReportSettings(env: NodeJS.ProcessEnv = process.env): ReportSettings {
  return parseReportSettings(gatherInputs(REPORT_INPUTS), env);
}

const logger = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };

async function summarize(markdown: string): Promise<void> {
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(markdown, true).write();
}

/**
 * Writes the release section and asset when the input names a release. Returns why it could not, as one line, so
 * the step fails only after the outputs and the summary are in place (as publish does); bugs keep their stack.
 */
async function writeRelease(inputs: ReportSettings, record: ResultRecord): Promise<StepOutcome | undefined> {
  const ref = releaseRef(inputs.release);
  if (inputs.release.kind === 'none' || !ref) {
    if (inputs.release.kind === 'none') core.info(`No release updated: ${inputs.release.reason}.`);
    return undefined;
  }
  const which = 'tag' in ref ? ref.tag : ref.tag_name;
  try {
    const { owner, repo } = parseRepository(process.env.GITHUB_REPOSITORY ?? '', 'GITHUB_REPOSITORY');
    const octokit = octokitFor(inputs.token);
    const release = await core.group(`Update release ${which}`, () =>
      updateRelease({ octokit, owner, repo, release: ref, record, logger }),
    );
    await summarize(`\nRelease: [${release.tag}](${release.htmlUrl})\n`);
    return undefined;
  } catch (err) {
    const failure = releaseFailure(err, `Release ${which} was not updated: `);
    if (failure === undefined) throw err;
    // One sentence: the fail-on verdict may follow it.
    if (!failure.message.endsWith('.')) failure.message += '.';
    return failure;
  }
}

export async function runReport(): Promise<void> {
  const inputs = getReportSettings();
  const noArtifacts = artifactServiceProblem();
  if (noArtifacts) {
    throw new ConfigurationError(
      `report reads the result records the publish legs uploaded as artifacts, but ${noArtifacts}. ` +
        "Publish in one job instead, with 'release' set, and no report step.",
    );
  }
  const directory = await mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'llr-report-'));
  const merged = await core.group(`Collect the result records of '${inputs.name}'`, async () => {
    const result = await mergeLegs(artifactStoreFromEnv(), inputs.name, directory, inputs.regions);
    core.info(`Merged ${result.legs.length} leg record(s): ${result.legs.join(', ')}`);
    return result;
  });
  const { record } = merged;
  const outputs = recordOutputs(record);
  core.setOutput('arns', JSON.stringify(outputs.arns));
  core.setOutput('versions', JSON.stringify(outputs.versions));
  core.setOutput('failed-regions', JSON.stringify(outputs.failedRegions));
  // As a one-job publish sets them, so swapping publish for a matrix and report keeps a workflow's references.
  core.setOutput('unchanged-regions', JSON.stringify(outputs.unchangedRegions));
  core.setOutput('layer-version-arn', outputs.layerVersionArn ?? '');
  core.setOutput('result-path', merged.resultPath);
  // The summary first: a release that cannot be written must not cost the table in the run's summary. Runners
  // without job summaries (older GHES) have no GITHUB_STEP_SUMMARY.
  await summarize(renderSection(record, { headingLevel: 2 }));

  const failure = stepFailure([await writeRelease(inputs, record), failureMessage(record, inputs.failOn)]);
  if (failure) throw failure;
}
