/** `resolve`: a semver range to the newest matching layer version per region, from the account or from releases. */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { AwsClients } from '../aws/clients.js';
import { checkCredentials, createCredentialProvider, type CredentialSettings } from '../aws/credentials.js';
import { homeRegion, partitionOf } from '../aws/partitions.js';
import { parseRegionSelection, resolveRegions, enabledRegions, type RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';
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
  /** Source aws: the regions input as publish reads it (names, `all`, `all-enabled`). */
  selection?: RegionSelection;
  /** Source github: named regions, or empty for every region the matching releases list. */
  regions: string[];
  source: (typeof SOURCES)[number];
  repository: { owner: string; repo: string };
  token: string;
  credentials: CredentialSettings;
}

export function getResolveInputs(env: NodeJS.ProcessEnv = process.env): ResolveInputs {
  const name = checkLayerName(getRequired('name'));
  const range = parseRange(getString('version'));
  const source = getChoice('source', SOURCES, 'aws');
  const regionsInput = getString('regions');
  let selection: RegionSelection | undefined;
  let regions: string[] = [];
  if (source === 'aws') {
    selection = parseRegionSelection(regionsInput, '', env.AWS_REGION || env.AWS_DEFAULT_REGION);
  } else {
    regions = [...new Set(getList('regions').map((r) => r.toLowerCase()))];
    const unknown = regions.find((r) => !partitionOf(r));
    if (unknown)
      throw new ConfigurationError(`Input 'regions' has unknown region '${unknown}'; use names such as us-east-1.`);
  }
  const repository = parseRepository(getString('repository') || env.GITHUB_REPOSITORY || '');
  const token = getString('github-token');
  if (source === 'github' && !token) {
    throw new ConfigurationError(
      `Input 'github-token' is empty; source: github needs a token that can read ${repository.owner}/${repository.repo}.`,
    );
  }
  const credentials: CredentialSettings = {
    roleToAssume: getString('role-to-assume') || undefined,
    roleSessionName: getString('role-session-name') || 'lambda-layer-release',
    audience: getString('audience') || 'sts.amazonaws.com',
  };
  return { name, range, selection, regions, source, repository, token, credentials };
}

async function fromAws(inputs: ResolveInputs, selection: RegionSelection, env: NodeJS.ProcessEnv) {
  const own = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  const stsRegion = own && partitionOf(own) === selection.partition ? own : homeRegion(selection.partition);
  const deps = {
    stsRegion,
    ...(inputs.credentials.roleToAssume && env.ACTIONS_ID_TOKEN_REQUEST_URL
      ? { getIdToken: (audience: string) => core.getIDToken(audience) }
      : {}),
    onCredentials: (c: { secretAccessKey: string; sessionToken?: string }) => {
      core.setSecret(c.secretAccessKey);
      if (c.sessionToken) core.setSecret(c.sessionToken);
    },
  };
  const provider = createCredentialProvider(inputs.credentials, deps);
  const clients = new AwsClients({ credentials: provider });
  try {
    await checkCredentials(provider, inputs.credentials, deps);
    const regions = await resolveRegions(selection, async (home) => enabledRegions(clients.ec2(home)));
    const found = await listAwsCandidates({ name: inputs.name, regions, lambdaFor: (r) => clients.lambda(r) });
    return { regions, found };
  } finally {
    clients.destroy();
  }
}

async function fromGitHub(inputs: ResolveInputs) {
  const octokit = github.getOctokit(inputs.token);
  const { candidates: found, records } = await listGitHubCandidates({
    octokit,
    ...inputs.repository,
    name: inputs.name,
    logger: { warning: (m) => core.warning(m) },
  });
  const { owner, repo } = inputs.repository;
  core.info(`Read ${records} release record(s) of '${inputs.name}' in ${owner}/${repo}.`);
  const regions = inputs.regions.length > 0 ? inputs.regions : [...found.keys()];
  if (regions.length === 0) {
    throw new ConfigurationError(
      `No release of ${owner}/${repo} has a usable ${inputs.name}.arns.json asset; check 'name' and 'repository'.`,
    );
  }
  return { regions, found };
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

export async function runResolve(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const inputs = getResolveInputs(env);
  const { regions, found } = inputs.selection ? await fromAws(inputs, inputs.selection, env) : await fromGitHub(inputs);
  const resolution = resolveFromCandidates(inputs.name, inputs.range, regions, found);
  core.setOutput('arns', JSON.stringify(resolution.arns));
  core.setOutput('versions', JSON.stringify(resolution.versions));
  core.setOutput('resolved-versions', JSON.stringify(resolution.semvers));
  core.setOutput('layer-version-arn', resolution.layerVersionArn ?? '');
  core.setOutput('resolved-version', resolution.resolvedVersion ?? '');
  if (resolution.resolvedVersion) {
    core.info(`'${inputs.range.input}' resolved to ${resolution.resolvedVersion} in ${regions.length} region(s).`);
  } else {
    const byRegion = Object.entries(resolution.semvers).map(([r, v]) => `${r}: ${v}`);
    core.warning(
      `'${inputs.range.input}' resolved to different versions by region (${byRegion.join(', ')}); ` +
        'resolved-version is empty, see resolved-versions.',
    );
  }
  await core.summary.addRaw(summaryTable(inputs.name, inputs.range, resolution), true).write();
}
