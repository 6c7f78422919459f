/**
 * The `build` command: inputs -> typed settings (src/settings/build.ts) -> buildLayer -> artifact upload -> outputs
 * and job summary.
 */
import * as core from '@actions/core';
import path from 'node:path';
import { artifactStoreFromEnv } from '../artifact/index.js';
import { uploadReplacing } from '../artifact/replace.js';
import type { ArtifactStore, StoredArtifact } from '../artifact/store.js';
import { buildLayer, type LayerBuild } from '../layer/build.js';
import { BUILD_INPUTS, parseBuildSettings, type BuildSettings } from '../settings/build.js';
import { gatherInputs } from './inputs.js';

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

/** The inputs as the runner passes them, read and checked before anything is built. */
export function getBuildSettings(env: NodeJS.ProcessEnv = process.env): BuildSettings {
  return parseBuildSettings(gatherInputs(BUILD_INPUTS), env);
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
