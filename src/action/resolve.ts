/** `resolve`: a semver range to the newest matching layer version per region, from the account or from releases. */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { ConfigurationError } from '../errors.js';
import { REGION_PATTERN } from '../release/arn.js';
import { sortRegions } from '../release/section.js';
import { checkLayerName, parseRepository } from '../release/settings.js';
import { listAwsCandidates } from '../resolve/aws.js';
import { listGitHubCandidates } from '../resolve/github.js';
import { parseRange, type VersionRange } from '../resolve/range.js';
import { resolveFromCandidates, type Resolution } from '../resolve/resolve.js';
import { getChoice, getList, getRequired, getString } from './inputs.js';

export const SOURCES = ['aws', 'github'] as const;

export interface ResolveInputs {
  name: string;
  range: VersionRange;
  /** Empty only for source github: every region the matching releases list. */
  regions: string[];
  source: (typeof SOURCES)[number];
  repository: { owner: string; repo: string };
  token: string;
}

export function getResolveInputs(env: NodeJS.ProcessEnv = process.env): ResolveInputs {
  const name = checkLayerName(getRequired('name'));
  const range = parseRange(getString('version'));
  const source = getChoice('source', SOURCES, 'aws');
  const regions = [...new Set(getList('regions'))];
  for (const region of regions) {
    if (!REGION_PATTERN.test(region)) {
      throw new ConfigurationError(`Input 'regions': '${region}' is not a region name such as us-east-1.`);
    }
  }
  if (source === 'aws' && regions.length === 0) {
    throw new ConfigurationError("Input 'regions' is required with source: aws (for example: us-east-1, eu-west-1).");
  }
  const repository = parseRepository(getString('repository') || env.GITHUB_REPOSITORY || '');
  const token = getString('github-token');
  if (source === 'github' && !token) {
    throw new ConfigurationError(
      `Input 'github-token' is empty; source: github needs a token that can read ${repository.owner}/${repository.repo}.`,
    );
  }
  return { name, range, regions, source, repository, token };
}

async function candidates(inputs: ResolveInputs) {
  if (inputs.source === 'aws') {
    const clients = new Map<string, LambdaClient>();
    const lambdaFor = (region: string) => {
      if (!clients.has(region)) clients.set(region, new LambdaClient({ region }));
      return clients.get(region)!;
    };
    try {
      return {
        regions: inputs.regions,
        found: await listAwsCandidates({ name: inputs.name, regions: inputs.regions, lambdaFor }),
      };
    } finally {
      for (const client of clients.values()) client.destroy();
    }
  }
  const octokit = github.getOctokit(inputs.token);
  const { candidates: found, records } = await listGitHubCandidates({
    octokit,
    ...inputs.repository,
    name: inputs.name,
    logger: { warning: (m) => core.warning(m) },
  });
  core.info(
    `Read ${records} release record(s) of '${inputs.name}' in ${inputs.repository.owner}/${inputs.repository.repo}.`,
  );
  return { regions: inputs.regions.length > 0 ? inputs.regions : [...found.keys()], found };
}

function summaryTable(name: string, range: VersionRange, resolution: Resolution): string {
  const rows = sortRegions(Object.keys(resolution.arns)).map(
    (r) => `| ${r} | ${resolution.semvers[r]} | ${resolution.versions[r]} | \`${resolution.arns[r]}\` |`,
  );
  return [
    `## Layer \`${name}\` ${range.input}`,
    '',
    '| Region | Semver | Version | ARN |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

export async function runResolve(): Promise<void> {
  const inputs = getResolveInputs();
  const { regions, found } = await candidates(inputs);
  if (regions.length === 0) {
    throw new ConfigurationError(
      `No release of ${inputs.repository.owner}/${inputs.repository.repo} has a ${inputs.name}.arns.json asset; set 'regions' or check 'name'.`,
    );
  }
  const resolution = resolveFromCandidates(inputs.name, inputs.range, regions, found);
  core.setOutput('arns', JSON.stringify(resolution.arns));
  core.setOutput('versions', JSON.stringify(resolution.versions));
  core.setOutput('resolved-versions', JSON.stringify(resolution.semvers));
  core.setOutput('layer-version-arn', resolution.layerVersionArn ?? '');
  core.setOutput('resolved-version', resolution.resolvedVersion ?? '');
  if (resolution.resolvedVersion) {
    core.info(`'${inputs.range.input}' resolved to ${resolution.resolvedVersion} in ${regions.length} region(s).`);
  } else {
    core.warning(
      `'${inputs.range.input}' resolved to different versions by region (${Object.entries(resolution.semvers)
        .map(([r, v]) => `${r}: ${v}`)
        .join(', ')}); resolved-version is empty, see resolved-versions.`,
    );
  }
  await core.summary.addRaw(summaryTable(inputs.name, inputs.range, resolution), true).write();
}
