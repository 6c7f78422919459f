/**
 * The build command's inputs, as typed settings: every input is read and checked before anything is built, so a
 * mistake costs no time and uploads nothing.
 */
import os from 'node:os';
import path from 'node:path';
import { artifactServiceProblem } from '../artifact/index.js';
import { ConfigurationError } from '../errors.js';
import type { LayerBuildSettings } from '../layer/build.js';
import { parseLayout } from '../layer/layout.js';
import {
  checkArchitectures,
  checkArtifactName,
  checkName,
  checkRuntimes,
  checkText,
  MAX_DESCRIPTION,
  MAX_LICENSE_INFO,
} from '../layer/limits.js';
import { checkVersion, defaultVersion } from '../layer/version.js';
import { DEFAULT_EXCLUDE, excludePatterns } from '../layer/walk.js';
import { DEFAULT_EPOCH_SECONDS } from '../layer/zip-format.js';
import { DEFAULTS, inputReader, type RawInputs } from './inputs.js';

/** Every input of build/action.yml (SPEC "build"), in one place for the action and the tests. */
export const BUILD_INPUTS = [
  'name',
  'path',
  'compatible-runtimes',
  'compatible-architectures',
  'layout',
  'exclude',
  'version',
  'description',
  'license-info',
  'artifact-name',
  'retention-days',
  'upload',
] as const;
export type BuildInput = (typeof BUILD_INPUTS)[number];

export interface BuildSettings extends LayerBuildSettings {
  artifactName: string;
  retentionDays?: number;
  upload: boolean;
  /** Warnings found while reading the inputs (deprecated runtimes). */
  warnings: string[];
}

/** Longest retention GitHub allows (private repositories; public ones are capped at 90 by the service). */
const MAX_RETENTION_DAYS = 400;

/** `env`: the run's (GITHUB_REF and GITHUB_SHA for the default version, GITHUB_WORKSPACE, RUNNER_TEMP, ...). */
export function parseBuildSettings(raw: RawInputs<BuildInput>, env: NodeJS.ProcessEnv): BuildSettings {
  const input = inputReader(raw, DEFAULTS.build);
  const name = checkName(input.required('name'));
  const layerPath = input.required('path');
  const { runtimes, warnings } = checkRuntimes(input.list('compatible-runtimes'));
  const architectures = checkArchitectures(input.list('compatible-architectures'));
  const layout = parseLayout(input.text('layout'));
  const exclude = excludePatterns(input.text('exclude'));
  const versionInput = input.text('version');
  const version = versionInput
    ? checkVersion(versionInput)
    : defaultVersion({ ref: env.GITHUB_REF, sha: env.GITHUB_SHA }, name);
  const description = checkText('description', input.text('description'), MAX_DESCRIPTION);
  const licenseInfo = checkText('license-info', input.text('license-info'), MAX_LICENSE_INFO);
  const artifactName = checkArtifactName(input.text('artifact-name') || `lambda-layer-${name}`);
  const retentionDays = input.integer('retention-days', 1, MAX_RETENTION_DAYS);
  const upload = input.boolean('upload');
  const noService = upload ? artifactServiceProblem(env) : undefined;
  if (noService) {
    throw new ConfigurationError(
      `Input 'upload': ${noService}; set upload to false and publish with 'zip: \${{ steps.<id>.outputs.zip-path }}' in the same job.`,
    );
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  return {
    name,
    path: path.resolve(workspace, layerPath),
    runtimes,
    architectures,
    layout,
    exclude: exclude.length ? exclude : DEFAULT_EXCLUDE,
    version,
    description,
    licenseInfo,
    outputDir: path.join(env.RUNNER_TEMP || os.tmpdir(), 'lambda-layer-release', name),
    epochSeconds: sourceDateEpoch(env.SOURCE_DATE_EPOCH),
    commit: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    artifactName,
    retentionDays,
    upload,
    warnings,
  };
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org): whole seconds since 1970; unset means the fixed default. */
export function sourceDateEpoch(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return DEFAULT_EPOCH_SECONDS;
  if (!/^\d+$/.test(value.trim())) {
    throw new ConfigurationError(`SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01, got '${value}'.`);
  }
  return Number(value.trim());
}
