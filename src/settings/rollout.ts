/**
 * The rollout command's inputs, as typed settings (SPEC "rollout"). Everything is checked here, before any AWS or
 * GitHub call; each mistake is one ConfigurationError that names the input and says what to write instead.
 */
import type { CredentialSettings } from '../aws/credentials.js';
import { partitionOf } from '../aws/partitions.js';
import type { RegionSelection } from '../aws/regions.js';
import { parseRegionSelection } from './regions.js';
import { ConfigurationError } from '../errors.js';
import { checkName } from '../layer/limits.js';
import { FAIL_ON, type FailOn } from '../record/index.js';

import { parseRange, type VersionRange } from '../resolve/range.js';
import { checkRolePartition, parseCredentials } from './credentials.js';
import { DEFAULTS, inputReader, type RawInputs } from './inputs.js';
import { parseRepository } from './release.js';

/** Every input of rollout/action.yml (SPEC "rollout"). */
export const ROLLOUT_INPUTS = [
  'name',
  'regions',
  'functions',
  'version',
  'source',
  'alias',
  'max-parallel',
  'dry-run',
  'fail-on',
  'role-to-assume',
  'role-session-name',
  'audience',
  'repository',
  'github-token',
] as const;
export type RolloutInput = (typeof ROLLOUT_INPUTS)[number];

export const ROLLOUT_SOURCES = ['aws', 'github'] as const;
export const MAX_PARALLEL_LIMIT = 64;

/** A function named in `functions`: a plain name is looked up in every region, an ARN only in its own. */
export interface FunctionRef {
  name: string;
  /** Set for an ARN: the only region it is looked up in. */
  region?: string;
  /** What the user wrote, for messages. */
  input: string;
}

export type FunctionSelection = { kind: 'tagged' } | { kind: 'listed'; functions: FunctionRef[]; range: VersionRange };

export interface RolloutSettings {
  name: string;
  regions: RegionSelection;
  functions: FunctionSelection;
  source: (typeof ROLLOUT_SOURCES)[number];
  /** Source github: the repository whose releases hold the records. */
  repository?: { owner: string; repo: string };
  alias?: string;
  /** Functions updated at once per region. */
  maxParallel: number;
  dryRun: boolean;
  failOn: FailOn;
  credentials: CredentialSettings;
  githubToken?: string;
}

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]{1,64})(?::([^:]+))?$/;
// Lambda's alias pattern: letters, digits, - and _, not all digits (a number names a version).
const ALIAS = /^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/;

function parseFunctionRef(value: string, regions: RegionSelection): FunctionRef {
  if (FUNCTION_NAME.test(value)) return { name: value, input: value };
  const arn = FUNCTION_ARN.exec(value);
  if (!arn) {
    throw new ConfigurationError(
      `Input 'functions' has '${value}', which is neither a function name (1-64 of A-Za-z0-9-_) nor a function ARN (arn:aws:lambda:REGION:ACCOUNT:function:NAME); or use 'tagged'.`,
    );
  }
  const [, partition, region, , name, qualifier] = arn;
  if (qualifier) {
    throw new ConfigurationError(
      `Input 'functions' has '${value}' with qualifier ':${qualifier}': rollout updates $LATEST; name the function without it (and use 'alias' to move an alias).`,
    );
  }
  if (partitionOf(region) !== partition || partition !== regions.partition) {
    throw new ConfigurationError(
      `Input 'functions' has '${value}', whose partition or region does not match 'regions' (partition ${regions.partition}).`,
    );
  }
  if (!regions.expand && !regions.named.includes(region)) {
    throw new ConfigurationError(
      `Input 'functions' has '${value}' in ${region}, which 'regions' does not list; add ${region} to 'regions'.`,
    );
  }
  return { name, region, input: value };
}

function parseFunctions(list: string[], version: string, regions: RegionSelection): RolloutSettings['functions'] {
  const tagged = list.length === 0 || (list.length === 1 && list[0].toLowerCase() === 'tagged');
  if (tagged) {
    if (version) {
      throw new ConfigurationError(
        "Input 'version' is read only with a list in 'functions'; tagged functions carry their range in the tag lambda-layer-release:<name>. Remove 'version', or list the functions.",
      );
    }
    return { kind: 'tagged' };
  }
  if (list.some((f) => f.toLowerCase() === 'tagged')) {
    throw new ConfigurationError("Input 'functions' is either 'tagged' or a list of functions, not both.");
  }
  if (!version) {
    throw new ConfigurationError(
      "Input 'version' is required with a list in 'functions': the range the listed functions follow, such as 1.x, ^1.4 or latest.",
    );
  }
  const functions = [...new Set(list)].map((f) => parseFunctionRef(f, regions));
  return { kind: 'listed', functions, range: parseRange(version) };
}

/** Turns the raw inputs into settings; `env` gives AWS_REGION (the partition of `all`) and GITHUB_REPOSITORY. */
export function parseRolloutSettings(raw: RawInputs<RolloutInput>, env: NodeJS.ProcessEnv = {}): RolloutSettings {
  const input = inputReader(raw, DEFAULTS.rollout);
  const name = checkName(input.required('name'));
  const regions = parseRegionSelection(input.text('regions'), '', env.AWS_REGION || env.AWS_DEFAULT_REGION);
  const functions = parseFunctions(input.list('functions'), input.text('version'), regions);
  const source = input.choice('source', ROLLOUT_SOURCES);
  const credentials = parseCredentials(input);
  checkRolePartition(credentials.roleToAssume, regions.partition);
  const alias = input.text('alias');
  if (alias && !ALIAS.test(alias)) {
    throw new ConfigurationError(
      `Input 'alias' must be a Lambda alias name (1-128 of A-Za-z0-9-_, not only digits), got '${alias}'.`,
    );
  }
  const githubToken = input.text('github-token');
  const settings: RolloutSettings = {
    name,
    regions,
    functions,
    source,
    ...(alias ? { alias } : {}),
    maxParallel: input.integer('max-parallel', 1, MAX_PARALLEL_LIMIT) ?? 4,
    dryRun: input.boolean('dry-run'),
    failOn: input.choice('fail-on', FAIL_ON),
    credentials,
    ...(githubToken ? { githubToken } : {}),
  };
  if (source === 'github') {
    settings.repository = parseRepository(input.text('repository') || env.GITHUB_REPOSITORY || '');
    if (!githubToken) {
      throw new ConfigurationError(
        `Input 'github-token' is empty; source: github needs a token that can read the releases of ${settings.repository.owner}/${settings.repository.repo}.`,
      );
    }
  }
  return settings;
}
