/**
 * The resolve command's inputs, as typed settings. Source `aws` reads `regions` as publish does (names, `all`,
 * `all-enabled`) and takes credentials; source `github` reads a repository's releases, so its regions are names or
 * `all` (every region the releases list) and it needs a token that can read the repository.
 */
import type { CredentialSettings } from '../aws/credentials.js';
import { partitionOf } from '../aws/partitions.js';
import type { RegionSelection } from '../aws/regions.js';
import { parseRegionSelection } from './regions.js';
import { ConfigurationError } from '../errors.js';
import { checkName } from '../layer/limits.js';
import { parseRange, type VersionRange } from '../resolve/range.js';
import { checkRolePartition, parseCredentials } from './credentials.js';
import { DEFAULTS, inputReader, splitList, type RawInputs } from './inputs.js';
import { parseRepository } from './release.js';

/** Every input of resolve/action.yml (SPEC "resolve"). */
export const RESOLVE_INPUTS = [
  'name',
  'version',
  'regions',
  'source',
  'repository',
  'role-to-assume',
  'role-session-name',
  'audience',
  'github-token',
] as const;
export type ResolveInput = (typeof RESOLVE_INPUTS)[number];

export const SOURCES = ['aws', 'github'] as const;

export interface ResolveSettings {
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

function githubRegions(value: string): { regions: string[]; everyRegion: boolean } {
  const tokens = [...new Set(splitList(value).map((r) => r.toLowerCase()))];
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

/** `env`: the run's (AWS_REGION for the partition of `all`, GITHUB_REPOSITORY as the default repository). */
export function parseResolveSettings(raw: RawInputs<ResolveInput>, env: NodeJS.ProcessEnv): ResolveSettings {
  const input = inputReader(raw, DEFAULTS.resolve);
  const name = checkName(input.required('name'));
  const range = parseRange(input.text('version'));
  const source = input.choice('source', SOURCES);
  const credentials = parseCredentials(input);
  const token = input.text('github-token');
  if (source === 'aws') {
    const selection = parseRegionSelection(input.text('regions'), '', env.AWS_REGION || env.AWS_DEFAULT_REGION);
    checkRolePartition(credentials.roleToAssume, selection.partition);
    return { name, range, selection, regions: [], source, token, credentials };
  }
  const { regions, everyRegion } = githubRegions(input.text('regions'));
  const repository = parseRepository(input.text('repository') || env.GITHUB_REPOSITORY || '');
  if (!token) {
    throw new ConfigurationError(
      `Input 'github-token' is empty; source: github needs a token that can read ${repository.owner}/${repository.repo}.`,
    );
  }
  return { name, range, regions, everyRegion, source, repository, token, credentials };
}
