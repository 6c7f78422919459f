/** `resolve`: a semver range to the newest matching layer version per region, from the account or from releases. */
import * as core from '@actions/core';
import { AwsClients } from '../aws/clients.js';
import { actionSession } from './aws.js';
import { resolveRegions, enabledRegions, type RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';
import { sortRegions } from '../record/index.js';
import { listAwsRegions, type AwsCandidates } from '../resolve/aws.js';
import { listGitHubCandidates } from '../resolve/github.js';
import type { Candidate, VersionRange } from '../resolve/range.js';
import { resolveFromCandidates, type Resolution } from '../resolve/resolve.js';
import { parseResolveSettings, RESOLVE_INPUTS, type ResolveSettings } from '../settings/resolve.js';
import { gatherInputs } from './inputs.js';
import { octokitFor } from './octokit.js';

export function getResolveSettings(env: NodeJS.ProcessEnv = process.env): ResolveSettings {
  return parseResolveSettings(gatherInputs(RESOLVE_INPUTS), env);
}

/** Where the candidates came from: every region looked at, and those the user did not name. */
interface Found {
  regions: string[];
  optional: Set<string>;
  candidates: Map<string, Candidate[]>;
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

async function fromAws(inputs: ResolveSettings, selection: RegionSelection, env: NodeJS.ProcessEnv): Promise<Found> {
  const session = actionSession(inputs.credentials, selection.partition, env);
  const clients = new AwsClients({ credentials: session.provider });
  try {
    await session.check();
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

async function fromGitHub(inputs: ResolveSettings, repository: { owner: string; repo: string }): Promise<Found> {
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
function reportSkipped(inputs: ResolveSettings, resolution: Resolution): void {
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
  const inputs = getResolveSettings(env);
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
