/**
 * The `build` command: inputs -> typed settings -> buildLayer -> artifact upload -> outputs and job summary.
 */
import * as core from '@actions/core';
import os from 'node:os';
import path from 'node:path';
import { artifactServiceProblem, artifactStoreFromEnv } from '../artifact/index.js';
import { uploadReplacing } from '../artifact/replace.js';
import type { ArtifactStore, StoredArtifact } from '../artifact/store.js';
import { ConfigurationError } from '../errors.js';
import { buildLayer, type LayerBuild, type LayerBuildSettings } from '../layer/build.js';
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
import { DEFAULT_EXCLUDE, excludePatterns } from '../layer/walk.js';
import { DEFAULT_EPOCH_SECONDS } from '../layer/zip-format.js';
import { checkVersion, defaultVersion } from '../layer/version.js';
import { getBoolean, getInteger, getList, getRequired, getString } from './inputs.js';

/** Names in one place, shared with action.yml and the tests. */
export const BuildInputs = {
  name: 'name',
  path: 'path',
  runtimes: 'compatible-runtimes',
  architectures: 'compatible-architectures',
  layout: 'layout',
  exclude: 'exclude',
  version: 'version',
  description: 'description',
  licenseInfo: 'license-info',
  artifactName: 'artifact-name',
  retentionDays: 'retention-days',
  upload: 'upload',
} as const;

export const BuildOutputs = [
  'zip-path',
  'sha256',
  'code-sha256',
  'size',
  'unzipped-size',
  'files',
  'version',
  'artifact-name',
  'artifact-id',
] as const;

export interface BuildSettings extends LayerBuildSettings {
  artifactName: string;
  retentionDays?: number;
  upload: boolean;
  /** Warnings found while reading the inputs (deprecated runtimes). */
  warnings: string[];
}

/** Longest retention GitHub allows (private repositories; public ones are capped at 90 by the service). */
const MAX_RETENTION_DAYS = 400;

/** Reads and checks every input before anything is built, so a mistake costs no time and uploads nothing. */
export function getBuildSettings(env: NodeJS.ProcessEnv = process.env): BuildSettings {
  const name = checkName(getRequired(BuildInputs.name));
  const layerPath = getRequired(BuildInputs.path);
  const { runtimes, warnings } = checkRuntimes(getList(BuildInputs.runtimes));
  const architectures = checkArchitectures(getList(BuildInputs.architectures));
  const layout = parseLayout(getString(BuildInputs.layout));
  const excludeInput = excludePatterns(core.getInput(BuildInputs.exclude));
  const versionInput = getString(BuildInputs.version);
  const version = versionInput
    ? checkVersion(versionInput)
    : defaultVersion({ ref: env.GITHUB_REF, sha: env.GITHUB_SHA }, name);
  const description = checkText(BuildInputs.description, getString(BuildInputs.description), MAX_DESCRIPTION);
  const licenseInfo = checkText(BuildInputs.licenseInfo, getString(BuildInputs.licenseInfo), MAX_LICENSE_INFO);
  const artifactName = checkArtifactName(getString(BuildInputs.artifactName) || `lambda-layer-${name}`);
  const retention = getInteger(BuildInputs.retentionDays, 0, 1, MAX_RETENTION_DAYS);
  const upload = getBoolean(BuildInputs.upload, true);
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
    exclude: excludeInput.length ? excludeInput : DEFAULT_EXCLUDE,
    version,
    description,
    licenseInfo,
    outputDir: path.join(env.RUNNER_TEMP || os.tmpdir(), 'lambda-layer-release', name),
    epochSeconds: sourceDateEpoch(env.SOURCE_DATE_EPOCH),
    commit: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    runId: env.GITHUB_RUN_ID ?? '',
    artifactName,
    retentionDays: retention || undefined,
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

export async function runBuild(store?: ArtifactStore): Promise<void> {
  const settings = getBuildSettings();
  for (const w of settings.warnings) core.warning(w);
  const layer = await buildLayer(settings, { info: (m) => core.info(m), warning: (m) => core.warning(m) }, (name, fn) =>
    core.group(name, fn),
  );
  let artifact: StoredArtifact | undefined;
  if (settings.upload) {
    const target = store ?? artifactStoreFromEnv();
    artifact = await core.group(`Upload artifact ${settings.artifactName}`, () =>
      uploadReplacing(target, settings.artifactName, [layer.zipPath, layer.manifestPath], path.dirname(layer.zipPath), {
        retentionDays: settings.retentionDays,
        info: (m) => core.info(m),
      }),
    );
    core.info(`Artifact ${artifact.name} (id ${artifact.id}) holds ${path.basename(layer.zipPath)} and its manifest.`);
  }
  setOutputs(layer, settings, artifact);
  if (process.env.GITHUB_STEP_SUMMARY) await writeSummary(layer, settings, artifact);
}

function setOutputs(layer: LayerBuild, settings: BuildSettings, artifact: StoredArtifact | undefined): void {
  const m = layer.manifest;
  const values: Record<(typeof BuildOutputs)[number], string> = {
    'zip-path': layer.zipPath,
    sha256: m.sha256,
    'code-sha256': m.codeSha256,
    size: String(m.size),
    'unzipped-size': String(m.unzippedSize),
    files: String(m.files),
    version: m.version,
    'artifact-name': artifact ? settings.artifactName : '',
    'artifact-id': artifact ? String(artifact.id) : '',
  };
  for (const [name, value] of Object.entries(values)) core.setOutput(name, value);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = -1;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** The summary is HTML: a file name must not become markup. */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

async function writeSummary(layer: LayerBuild, settings: BuildSettings, artifact?: StoredArtifact): Promise<void> {
  const m = layer.manifest;
  const layoutText = layer.ready
    ? 'ready zip, used as is'
    : layer.layout?.prefix
      ? `under ${layer.layout.prefix}/ (${layer.layout.how})`
      : (layer.layout?.how ?? '');
  const facts: [string, string][] = [
    ['Version', m.version],
    ['Files', String(m.files)],
    ['Zipped', `${formatBytes(m.size)} (${m.size} bytes)`],
    ['Unzipped', `${formatBytes(m.unzippedSize)} (${m.unzippedSize} bytes)`],
    ['Runtimes', m.runtimes.join(', ') || '—'],
    ['Architectures', m.architectures.join(', ') || '—'],
    ['Layout', layoutText],
    ['SHA-256', `<code>${m.sha256}</code>`],
    ['Artifact', artifact ? `${settings.artifactName} (id ${artifact.id})` : 'not uploaded (upload: false)'],
  ];
  const summary = core.summary.addHeading(`Lambda layer ${m.name} ${m.version}`, 2).addTable([
    [
      { data: 'Field', header: true },
      { data: 'Value', header: true },
    ],
    ...facts,
  ]);
  if (layer.folders.length > 0) {
    summary.addHeading('Largest folders', 3).addTable([
      [
        { data: 'Folder', header: true },
        { data: 'Files', header: true },
        { data: 'Unzipped', header: true },
      ],
      ...layer.folders.map((f) => [escapeHtml(f.path), String(f.files), formatBytes(f.bytes)]),
    ]);
  }
  if (layer.warnings.length > 0) summary.addHeading('Warnings', 3).addList(layer.warnings.map(escapeHtml));
  await summary.write();
}
