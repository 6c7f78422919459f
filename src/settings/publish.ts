/**
 * The publish command's inputs, as typed settings. Everything that can be checked without I/O is checked here,
 * before the zip is read or any AWS call is made; each mistake is one ConfigurationError naming the input.
 */
import type { CredentialSettings } from '../aws/credentials.js';
import type { RegionSelection } from '../aws/regions.js';
import { parseRegionSelection } from './regions.js';
import { ConfigurationError } from '../errors.js';
import { checkArchitectures, checkArtifactName, checkName, checkRuntimes, checkText } from '../layer/limits.js';
import { MAX_DESCRIPTION, MAX_LICENSE_INFO } from '../layer/limits.js';
import { checkVersion } from '../layer/version.js';
import { FAIL_ON, type FailOn } from '../record/index.js';
import { checkRolePartition, parseCredentials } from './credentials.js';
import { DEFAULTS, inputReader, type InputReader, type RawInputs } from './inputs.js';
import { checkBucketTemplate, checkKeyPrefix } from './s3-bucket.js';
import { parseGrants, type Grant } from './share-with.js';
import { validateSsmPrefix } from './ssm-prefix.js';

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
  's3-keep',
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
export type RawPublishInputs = RawInputs<PublishInput>;
type Input = InputReader<PublishInput>;

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
  credentials: CredentialSettings;
  /** Regions worked on at once; 'auto' = all of them (uploads are bounded by memory separately). */
  maxParallel: number | 'auto';
  skipUnchanged: boolean;
  failOn: FailOn;
  dryRun: boolean;
  githubToken?: string;
  /** `release` as given (auto, true, false, or a tag); src/settings/release.ts releaseTarget reads it. */
  release: string;
  /**
   * `s3-bucket` (checked, with its `{region}` placeholder, or `auto`), `s3-prefix` (ending in '/'), `s3-keep` (leave
   * the staged zips in the buckets after a successful publish).
   */
  staging: { s3Bucket?: string; s3Prefix: string; keep: boolean };
  alignVersions: 'off' | 'strict' | 'pad';
  keepVersions: number;
  /** Checked `ssm-prefix` without its trailing slash; '' for `/` (pointers at /<name>/...); undefined: none. */
  ssmPrefix?: string;
  /** Warnings found while parsing (deprecated runtimes). */
  warnings: string[];
}

const MAX_PARALLEL_LIMIT = 256;

function parseSource(input: Input): SourceSettings {
  const zip = input.text('zip');
  const artifactName = input.text('artifact-name');
  const runId = input.text('run-id');
  const version = input.text('version');
  if (zip) {
    for (const other of ['artifact-name', 'run-id'] as const) {
      if (input.text(other)) {
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

function parseOverrides(input: Input, warnings: string[]): MetadataOverrides {
  const overrides: MetadataOverrides = {};
  const runtimes = input.list('compatible-runtimes');
  if (runtimes.length) {
    const checked = checkRuntimes(runtimes);
    warnings.push(...checked.warnings);
    overrides.runtimes = checked.runtimes;
  }
  const architectures = input.list('compatible-architectures');
  if (architectures.length) overrides.architectures = checkArchitectures(architectures);
  const description = input.text('description');
  if (description) overrides.description = checkText('description', description, MAX_DESCRIPTION);
  const license = input.text('license-info');
  if (license) overrides.licenseInfo = checkText('license-info', license, MAX_LICENSE_INFO);
  return overrides;
}

function parseMaxParallel(input: Input): number | 'auto' {
  const value = input.text('max-parallel').toLowerCase();
  if (value === 'auto') return 'auto';
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > MAX_PARALLEL_LIMIT) {
    throw new ConfigurationError(
      `Input 'max-parallel' must be 'auto' or a whole number from 1 to ${MAX_PARALLEL_LIMIT}, got '${value}'.`,
    );
  }
  return Number(value);
}

/** Turns the raw inputs into settings; `envRegion` (AWS_REGION) picks the partition for `all` alone. */
export function parsePublishSettings(raw: RawPublishInputs, envRegion?: string): PublishSettings {
  const input = inputReader(raw, DEFAULTS.publish);
  const warnings: string[] = [];
  const name = input.text('name');
  if (name) checkName(name);
  const source = parseSource(input);
  const regions = parseRegionSelection(input.text('regions'), input.text('exclude-regions'), envRegion);
  const s3Bucket = checkBucketTemplate(input.text('s3-bucket'), regions);
  const token = input.text('github-token');
  const ssmPrefix = input.text('ssm-prefix');
  const settings: PublishSettings = {
    ...(name ? { name } : {}),
    source,
    regions,
    overrides: parseOverrides(input, warnings),
    sharing: parseGrants(input.text('share-with'), regions.partition),
    credentials: parseCredentials(input),
    maxParallel: parseMaxParallel(input),
    skipUnchanged: input.boolean('skip-unchanged'),
    failOn: input.choice('fail-on', FAIL_ON),
    dryRun: input.boolean('dry-run'),
    ...(token ? { githubToken: token } : {}),
    release: input.text('release'),
    staging: {
      ...(s3Bucket ? { s3Bucket } : {}),
      s3Prefix: checkKeyPrefix(input.text('s3-prefix')),
      keep: input.boolean('s3-keep'),
    },
    alignVersions: input.choice('align-versions', ['off', 'strict', 'pad'] as const),
    keepVersions: input.integer('keep-versions', 0, 10_000)!,
    ...(ssmPrefix ? { ssmPrefix: validateSsmPrefix(ssmPrefix, name || undefined) } : {}),
    warnings,
  };
  checkRolePartition(settings.credentials.roleToAssume, regions.partition);
  if (!settings.name && source.kind === 'artifact' && !source.artifactName) {
    throw new ConfigurationError("Input 'name' is required unless 'artifact-name' names the build artifact.");
  }
  return settings;
}
