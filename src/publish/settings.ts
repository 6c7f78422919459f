/**
 * The publish command's inputs, as typed settings. Everything that can be checked without I/O is checked here,
 * before the zip is read or any AWS call is made; each mistake is one ConfigurationError naming the input.
 */
import { ConfigurationError } from '../errors.js';
import { checkArchitectures, checkArtifactName, checkName, checkRuntimes, checkText } from '../layer/limits.js';
import { MAX_DESCRIPTION, MAX_LICENSE_INFO } from '../layer/limits.js';
import { checkVersion } from '../layer/version.js';
import { FAIL_ON, type FailOn } from '../release/outputs.js';
import { parseGrants, type Grant } from './sharing.js';
import { validateSsmPrefix } from './ssm.js';
import { checkBucketTemplate, checkKeyPrefix } from './staging.js';
import { parseRegionSelection, type RegionSelection } from '../aws/regions.js';

/** Every input of publish/action.yml (SPEC "publish"), in one place for the action and the tests. */
export const PUBLISH_INPUTS = [
  'name',
  'artifact-name',
  'run-id',
  'zip',
  'version',
  'regions',
  'exclude-regions',
  'compatible-runtimes',
  'compatible-architectures',
  'description',
  'license-info',
  'share-with',
  'role-to-assume',
  'role-session-name',
  'audience',
  's3-bucket',
  's3-prefix',
  'max-parallel',
  'skip-unchanged',
  'align-versions',
  'fail-on',
  'dry-run',
  'keep-versions',
  'ssm-prefix',
  'release',
  'github-token',
] as const;
export type PublishInput = (typeof PUBLISH_INPUTS)[number];
export type RawPublishInputs = Partial<Record<PublishInput, string>>;

export type RunChoice = { kind: 'current' } | { kind: 'id'; id: number } | { kind: 'auto' };
export type SourceSettings =
  { kind: 'artifact'; artifactName?: string; run: RunChoice } | { kind: 'zip'; path: string; version?: string };

/** What the user asked to change from the manifest's metadata; undefined = keep the manifest's. */
export interface MetadataOverrides {
  runtimes?: string[];
  architectures?: string[];
  description?: string;
  licenseInfo?: string;
}

export interface PublishSettings {
  /** The layer name; undefined = the manifest's. */
  name?: string;
  source: SourceSettings;
  regions: RegionSelection;
  overrides: MetadataOverrides;
  sharing: Grant[];
  credentials: { roleToAssume?: string; roleSessionName: string; audience: string };
  /** Regions worked on at once; 'auto' = all of them (uploads are bounded by memory separately). */
  maxParallel: number | 'auto';
  skipUnchanged: boolean;
  failOn: FailOn;
  dryRun: boolean;
  githubToken?: string;
  /** `release` as given (auto, true, false, or a tag); src/release/settings.ts releaseTarget reads it. */
  release: string;
  /** `s3-bucket` (checked, with its `{region}` placeholder) and `s3-prefix` (ending in '/'). */
  staging: { s3Bucket?: string; s3Prefix: string };
  alignVersions: 'off' | 'strict' | 'pad';
  keepVersions: number;
  /** Checked `ssm-prefix` without its trailing slash; '' for `/` (pointers at /<name>/...); undefined: none. */
  ssmPrefix?: string;
  /** Warnings found while parsing (deprecated runtimes). */
  warnings: string[];
}

export const DEFAULT_ROLE_SESSION_NAME = 'lambda-layer-release';
export const DEFAULT_AUDIENCE = 'sts.amazonaws.com';
export const DEFAULT_S3_PREFIX = 'lambda-layers/';
const MAX_PARALLEL_LIMIT = 256;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

/** Lists accept commas, spaces or newlines. */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function text(raw: RawPublishInputs, name: PublishInput): string {
  return (raw[name] ?? '').trim();
}

function bool(raw: RawPublishInputs, name: PublishInput, fallback: boolean): boolean {
  const value = text(raw, name).toLowerCase();
  if (value === '') return fallback;
  if (['true', 'yes', '1', 'on'].includes(value)) return true;
  if (['false', 'no', '0', 'off'].includes(value)) return false;
  throw new ConfigurationError(`Input '${name}' must be true or false, got '${value}'.`);
}

function choice<T extends string>(raw: RawPublishInputs, name: PublishInput, choices: readonly T[], fallback: T): T {
  const value = text(raw, name).toLowerCase();
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new ConfigurationError(`Input '${name}' must be one of ${choices.join(', ')}, got '${value}'.`);
}

function wholeNumber(raw: RawPublishInputs, name: PublishInput, fallback: number, min: number, max: number): number {
  const value = text(raw, name);
  if (value === '') return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new ConfigurationError(`Input '${name}' must be a whole number from ${min} to ${max}, got '${value}'.`);
  }
  return n;
}

function parseSource(raw: RawPublishInputs): SourceSettings {
  const zip = text(raw, 'zip');
  const artifactName = text(raw, 'artifact-name');
  const runId = text(raw, 'run-id');
  const version = text(raw, 'version');
  if (zip) {
    for (const other of ['artifact-name', 'run-id'] as const) {
      if (text(raw, other)) {
        throw new ConfigurationError(
          `Inputs 'zip' and '${other}' are mutually exclusive: take the layer from a zip on disk or from an artifact.`,
        );
      }
    }
    return { kind: 'zip', path: zip, ...(version ? { version: checkVersion(version) } : {}) };
  }
  if (version) {
    throw new ConfigurationError(
      "Input 'version' is only read with 'zip'; an artifact carries its version in its manifest (set it at build).",
    );
  }
  if (artifactName) checkArtifactName(artifactName);
  let run: RunChoice = { kind: 'current' };
  if (runId.toLowerCase() === 'auto') run = { kind: 'auto' };
  else if (/^[1-9]\d{0,18}$/.test(runId)) run = { kind: 'id', id: Number(runId) };
  else if (runId) {
    throw new ConfigurationError(`Input 'run-id' must be a workflow run id (a number) or 'auto', got '${runId}'.`);
  }
  return { kind: 'artifact', ...(artifactName ? { artifactName } : {}), run };
}

function parseOverrides(raw: RawPublishInputs, warnings: string[]): MetadataOverrides {
  const overrides: MetadataOverrides = {};
  const runtimes = splitList(raw['compatible-runtimes']);
  if (runtimes.length) {
    const checked = checkRuntimes(runtimes);
    warnings.push(...checked.warnings);
    overrides.runtimes = checked.runtimes;
  }
  const architectures = splitList(raw['compatible-architectures']);
  if (architectures.length) overrides.architectures = checkArchitectures(architectures);
  const description = text(raw, 'description');
  if (description) overrides.description = checkText('description', description, MAX_DESCRIPTION);
  const license = text(raw, 'license-info');
  if (license) overrides.licenseInfo = checkText('license-info', license, MAX_LICENSE_INFO);
  return overrides;
}

function parseCredentials(raw: RawPublishInputs): PublishSettings['credentials'] {
  const roleToAssume = text(raw, 'role-to-assume');
  if (roleToAssume && !ROLE_ARN.test(roleToAssume)) {
    throw new ConfigurationError(
      `Input 'role-to-assume' must be an IAM role ARN such as arn:aws:iam::123456789012:role/publisher, got '${roleToAssume}'.`,
    );
  }
  const roleSessionName = text(raw, 'role-session-name') || DEFAULT_ROLE_SESSION_NAME;
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new ConfigurationError(
      `Input 'role-session-name' must be 2 to 64 letters, digits or + = , . @ _ -, got '${roleSessionName}'.`,
    );
  }
  return {
    ...(roleToAssume ? { roleToAssume } : {}),
    roleSessionName,
    audience: text(raw, 'audience') || DEFAULT_AUDIENCE,
  };
}

/** A role lives in one partition and STS there only hands out its credentials: `arn:aws:` cannot publish to cn-*. */
function checkRolePartition(role: string | undefined, partition: string): void {
  const rolePartition = role?.split(':')[1];
  if (rolePartition && rolePartition !== partition) {
    throw new ConfigurationError(
      `Input 'role-to-assume' is a role of partition ${rolePartition}, but the regions are in ${partition}; use a role of that partition (arn:${partition}:iam::...).`,
    );
  }
}

function parseMaxParallel(raw: RawPublishInputs): number | 'auto' {
  const value = text(raw, 'max-parallel').toLowerCase();
  if (value === '' || value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL_LIMIT) {
    throw new ConfigurationError(
      `Input 'max-parallel' must be 'auto' or a whole number from 1 to ${MAX_PARALLEL_LIMIT}, got '${value}'.`,
    );
  }
  return Number(value);
}

/** Turns the raw inputs into settings; `envRegion` (AWS_REGION) picks the partition for `all` alone. */
export function parsePublishSettings(raw: RawPublishInputs, envRegion?: string): PublishSettings {
  const warnings: string[] = [];
  const name = text(raw, 'name');
  if (name) checkName(name);
  const source = parseSource(raw);
  const regions = parseRegionSelection(raw.regions ?? '', raw['exclude-regions'] ?? '', envRegion);
  const s3Bucket = checkBucketTemplate(text(raw, 's3-bucket'), regions);
  const settings: PublishSettings = {
    ...(name ? { name } : {}),
    source,
    regions,
    overrides: parseOverrides(raw, warnings),
    sharing: parseGrants(raw['share-with'] ?? '', regions.partition),
    credentials: parseCredentials(raw),
    maxParallel: parseMaxParallel(raw),
    skipUnchanged: bool(raw, 'skip-unchanged', true),
    failOn: choice(raw, 'fail-on', FAIL_ON, 'any'),
    dryRun: bool(raw, 'dry-run', false),
    ...(text(raw, 'github-token') ? { githubToken: text(raw, 'github-token') } : {}),
    release: text(raw, 'release') || 'auto',
    staging: {
      ...(s3Bucket ? { s3Bucket } : {}),
      s3Prefix: checkKeyPrefix(text(raw, 's3-prefix') || DEFAULT_S3_PREFIX),
    },
    alignVersions: choice(raw, 'align-versions', ['off', 'strict', 'pad'] as const, 'off'),
    keepVersions: wholeNumber(raw, 'keep-versions', 0, 0, 10_000),
    ...(text(raw, 'ssm-prefix') ? { ssmPrefix: validateSsmPrefix(text(raw, 'ssm-prefix'), name || undefined) } : {}),
    warnings,
  };
  checkRolePartition(settings.credentials.roleToAssume, regions.partition);
  if (!settings.name && source.kind === 'artifact' && !source.artifactName) {
    throw new ConfigurationError("Input 'name' is required unless 'artifact-name' names the build artifact.");
  }
  return settings;
}
