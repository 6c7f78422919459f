/** `resolve`: a semver range to the newest matching layer version per region, from the account or from releases. */
import * as core from '@actions/core';
import { AwsClients } from '../aws/clients.js';
import { checkCredentials, createCredentialProvider, type CredentialSettings } from '../aws/credentials.js';
import { homeRegion, partitionOf } from '../aws/partitions.js';
import { parseRegionSelection, resolveRegions, enabledRegions, type RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';
import { sortRegions } from '../release/section.js';
import { checkLayerName, parseRepository } from '../release/settings.js';
import { listAwsRegions, type AwsCandidates } from '../resolve/aws.js';
import { listGitHubCandidates } from '../resolve/github.js';
import { parseRange, type Candidate, type VersionRange } from '../resolve/range.js';
import { resolveFromCandidates, type Resolution } from '../resolve/resolve.js';
import { getChoice, getList, getRequired, getString } from './inputs.js';
import { octokitFor } from './octokit.js';

export const SOURCES = ['aws', 'github'] as const;

export interface ResolveInputs {
  name: string;
  range: VersionRange;
  /** Source aws: the regions input as publish reads it (names, `all`, `all-enabled`). */
  selection?: RegionSelection;
  /** Source github: the regions named; with `everyRegion` (empty or `all`) every region the releases list, too. */
  regions: string[];
  everyRegion?: boolean;
  source: (typeof SOURCES)[number];
  /** Source github only: the repository whose releases are read. */
  repository?: { owner: string; repo: string };
  token: string;
  credentials: CredentialSettings;
}

/** Where the candidates came from: every region looked at, and those the user did not name. */
interface Found {
  regions: string[];
  optional: Set<string>;
  candidates: Map<string, Candidate[]>;
}

function githubRegions(): { regions: string[]; everyRegion: boolean } {
  const tokens = [...new Set(getList('regions').map((r) => r.toLowerCase()))];
  const regions = tokens.filter((r) => r !== 'all');
  if (regions.includes('all-enabled')) {
    throw new ConfigurationError(
      "Input 'regions': 'all-enabled' asks the AWS account, which source: github does not use; name the regions, or use 'all' (every region the releases list).",
    );
  }
  const unknown = regions.find((r) => !partitionOf(r));
  if (unknown)
    throw new ConfigurationError(`Input 'regions' has unknown region '${unknown}'; use names such as us-east-1.`);
  return { regions, everyRegion: tokens.length === 0 || tokens.includes('all') };
}

export function getResolveInputs(env: NodeJS.ProcessEnv = process.env): ResolveInputs {
  const name = checkLayerName(getRequired('name'));
  const range = parseRange(getString('version'));
  const source = getChoice('source', SOURCES, 'aws');
  const credentials: CredentialSettings = {
    roleToAssume: getString('role-to-assume') || undefined,
    roleSessionName: getString('role-session-name') || 'lambda-layer-release',
    audience: getString('audience') || 'sts.amazonaws.com',
  };
  const token = getString('github-token');
  if (source === 'aws') {
    const selection = parseRegionSelection(getString('regions'), '', env.AWS_REGION || env.AWS_DEFAULT_REGION);
    return { name, range, selection, regions: [], source, token, credentials };
  }
  const { regions, everyRegion } = githubRegions();
  const repository = parseRepository(getString('repository') || env.GITHUB_REPOSITORY || '');
  if (!token) {
    throw new ConfigurationError(
      `Input 'github-token' is empty; source: github needs a token that can read ${repository.owner}/${repository.repo}.`,
    );
  }
  return { name, range, regions, everyRegion, source, repository, token, credentials };
}

/** The regions that could be listed; logs the optional ones left out, and fails when none is left. */
function listedRegions(name: string, all: string[], listed: AwsCandidates): string[] {
  if (listed.notEnabled.length > 0) {
    core.info(
      `Left out ${listed.notEnabled.length} region(s) not enabled for the account: ${listed.notEnabled.join(', ')}.`,
    );
  }
  const denied = Object.entries(listed.denied);
  if (denied.length > 0) {
    core.warning(
      `Left out ${denied.length} region(s) where listing the layer was denied: ` +
        `${denied.map(([r, why]) => `${r} (${why})`).join('; ')}.`,
    );
  }
  const regions = all.filter((r) => listed.candidates.has(r));
  if (regions.length > 0) return regions;
  const why =
    denied.length > 0 ? `denied in ${denied.length}, e.g. ${denied[0][0]}: ${denied[0][1]}` : 'none is enabled';
  throw new ConfigurationError(`Layer '${name}' could not be listed in any of ${all.length} region(s): ${why}.`);
}

async function fromAws(inputs: ResolveInputs, selection: RegionSelection, env: NodeJS.ProcessEnv): Promise<Found> {
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
    const all = await resolveRegions(selection, async (home) => enabledRegions(clients.ec2(home)));
    const optional = new Set(all.filter((r) => !selection.named.includes(r)));
    const listed = await listAwsRegions({
      name: inputs.name,
      regions: all,
      optional,
      lambdaFor: (r) => clients.lambda(r),
    });
    const regions = listedRegions(inputs.name, all, listed);
    return { regions, optional, candidates: listed.candidates };
  } finally {
    clients.destroy();
  }
}

async function fromGitHub(inputs: ResolveInputs, repository: { owner: string; repo: string }): Promise<Found> {
  const octokit = octokitFor(inputs.token);
  const { candidates, records } = await listGitHubCandidates({
    octokit,
    ...repository,
    name: inputs.name,
    logger: { warning: (m) => core.warning(m) },
  });
  const { owner, repo } = repository;
  core.info(`Read ${records} release record(s) of '${inputs.name}' in ${owner}/${repo}.`);
  if (!inputs.everyRegion) return { regions: inputs.regions, optional: new Set(), candidates };
  if (candidates.size === 0 && inputs.regions.length === 0) {
    throw new ConfigurationError(
      `No release of ${owner}/${repo} has a usable ${inputs.name}.arns.json asset; check 'name' and 'repository'.`,
    );
  }
  // Named regions next to `all` stay strict, as they do for source aws.
  const listed = [...candidates.keys()].filter((r) => !inputs.regions.includes(r));
  return { regions: [...inputs.regions, ...listed], optional: new Set(listed), candidates };
}

/** Optional regions left out: a layer that is absent there is expected, one that has only other versions is not. */
function reportSkipped(inputs: ResolveInputs, resolution: Resolution): void {
  const skipped = Object.entries(resolution.skipped ?? {});
  const absent = skipped.filter(([, why]) => why === 'no versions').map(([r]) => r);
  const other = skipped.filter(([, why]) => why !== 'no versions');
  if (absent.length > 0) {
    core.info(`Left out ${absent.length} region(s) without layer '${inputs.name}': ${absent.join(', ')}.`);
  }
  if (other.length > 0) {
    core.warning(
      `Left out ${other.length} region(s) where no version of '${inputs.name}' matches '${inputs.range.input}': ` +
        `${other.map(([r, why]) => `${r} (${why})`).join('; ')}.`,
    );
  }
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
  const found = inputs.selection
    ? await fromAws(inputs, inputs.selection, env)
    : await fromGitHub(inputs, inputs.repository!);
  const resolution = resolveFromCandidates(inputs.name, inputs.range, found.regions, found.candidates, {
    optional: found.optional,
  });
  reportSkipped(inputs, resolution);
  const resolved = Object.keys(resolution.arns);
  core.setOutput('arns', JSON.stringify(resolution.arns));
  core.setOutput('versions', JSON.stringify(resolution.versions));
  core.setOutput('resolved-versions', JSON.stringify(resolution.semvers));
  core.setOutput('layer-version-arn', resolution.layerVersionArn ?? '');
  core.setOutput('resolved-version', resolution.resolvedVersion ?? '');
  if (resolution.resolvedVersion) {
    core.info(`'${inputs.range.input}' resolved to ${resolution.resolvedVersion} in ${resolved.length} region(s).`);
  } else {
    const byRegion = Object.entries(resolution.semvers).map(([r, v]) => `${r}: ${v}`);
    core.warning(
      `'${inputs.range.input}' resolved to different versions by region (${byRegion.join(', ')}); ` +
        'resolved-version is empty, see resolved-versions.',
    );
  }
  // Runners without job summaries (older GHES) have no GITHUB_STEP_SUMMARY; the outputs are what matters then.
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(summaryTable(inputs.name, inputs.range, resolution), true).write();
  }
}
