/** `report`: after a publish matrix, merge the legs' result records and finish as a one-job publish would. */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { artifactStoreFromEnv } from '../artifact/index.js';
import { ConfigurationError } from '../errors.js';
import { updateRelease } from '../release/github.js';
import { FAIL_ON, failureMessage, recordOutputs, type FailOn } from '../release/outputs.js';
import { mergeLegs } from '../release/report.js';
import { renderSection } from '../release/section.js';
import { checkLayerName, parseRepository, releaseRef, releaseTarget, type ReleaseTarget } from '../release/settings.js';
import { getChoice, getRequired, getString } from './inputs.js';

export interface ReportInputs {
  name: string;
  release: ReleaseTarget;
  failOn: FailOn;
  token: string;
}

export function getReportInputs(env: NodeJS.ProcessEnv = process.env): ReportInputs {
  const inputs: ReportInputs = {
    name: checkLayerName(getRequired('name')),
    release: releaseTarget(getString('release'), env),
    failOn: getChoice('fail-on', FAIL_ON, 'any'),
    token: getString('github-token'),
  };
  if (inputs.release.kind !== 'none' && !inputs.token) {
    throw new ConfigurationError("Input 'github-token' is empty; the release cannot be updated without it.");
  }
  return inputs;
}

const logger = { info: (m: string) => core.info(m), warning: (m: string) => core.warning(m) };

export async function runReport(): Promise<void> {
  const inputs = getReportInputs();
  const directory = await mkdtemp(path.join(process.env.RUNNER_TEMP || tmpdir(), 'llr-report-'));
  const merged = await core.group(`Collect the result records of '${inputs.name}'`, async () => {
    const result = await mergeLegs(artifactStoreFromEnv(), inputs.name, directory);
    core.info(`Merged ${result.legs.length} leg record(s): ${result.legs.join(', ')}`);
    return result;
  });
  const { record } = merged;
  const outputs = recordOutputs(record);
  core.setOutput('arns', JSON.stringify(outputs.arns));
  core.setOutput('versions', JSON.stringify(outputs.versions));
  core.setOutput('failed-regions', JSON.stringify(outputs.failedRegions));
  core.setOutput('result-path', merged.resultPath);

  const summary = core.summary.addRaw(renderSection(record, { headingLevel: 2 }), true);
  const ref = releaseRef(inputs.release);
  if (ref) {
    const { owner, repo } = parseRepository(process.env.GITHUB_REPOSITORY ?? '', 'GITHUB_REPOSITORY');
    const octokit = github.getOctokit(inputs.token);
    const release = await core.group('Update the release', () =>
      updateRelease({ octokit, owner, repo, release: ref, record, logger }),
    );
    summary.addRaw(`\nRelease: [${release.tag}](${release.htmlUrl})\n`, true);
  } else if (inputs.release.kind === 'none') {
    core.info(`No release updated: ${inputs.release.reason}.`);
  }
  await summary.write();

  const failure = failureMessage(record, inputs.failOn);
  if (failure) throw new ConfigurationError(failure);
}
