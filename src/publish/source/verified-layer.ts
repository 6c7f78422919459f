/**
 * The layer as it will be published: the manifest's (or the zip's) facts with the input overrides applied, checked
 * against every Lambda limit before any AWS call.
 */
import { ConfigurationError } from '../../errors.js';
import {
  checkArchitectures,
  checkName,
  checkRuntimes,
  checkText,
  fitsInlineUpload,
  MAX_DESCRIPTION,
  MAX_LICENSE_INFO,
  MAX_REQUEST_BYTES,
  MAX_UNZIPPED_BYTES,
} from '../../layer/limits.js';
import { codeSha256Of } from '../../layer/manifest.js';
import { describe, type Marker } from '../../record/index.js';
import type { VerifiedLayer } from '../plan.js';
import type { PublishSettings } from '../../settings/publish.js';
import type { LoadedZip } from './load-zip.js';

export function verifiedLayer(
  loaded: LoadedZip,
  settings: PublishSettings,
  context: { sha?: string },
): { layer: VerifiedLayer; warnings: string[] } {
  const { manifest, facts } = loaded;
  const warnings: string[] = [...(loaded.warnings ?? [])];
  const o = settings.overrides;
  const name = checkName(settings.name ?? manifest?.name ?? facts?.name ?? '');
  let runtimes = o.runtimes ?? manifest?.runtimes ?? [];
  if (!o.runtimes) {
    const checked = checkRuntimes(runtimes);
    runtimes = checked.runtimes;
    warnings.push(...checked.warnings);
  }
  const layer: VerifiedLayer = {
    name,
    version: manifest?.version ?? facts!.version,
    sha256: loaded.sha256,
    codeSha256: codeSha256Of(loaded.sha256),
    size: loaded.zip.length,
    // What the inspection counted, not what a manifest claims.
    unzippedSize: loaded.contents.unzippedSize,
    files: loaded.contents.files,
    runtimes,
    architectures: o.architectures ?? checkArchitectures(manifest?.architectures ?? []),
    description: o.description ?? checkText('description', manifest?.description ?? '', MAX_DESCRIPTION),
    licenseInfo: o.licenseInfo ?? checkText('license-info', manifest?.licenseInfo ?? '', MAX_LICENSE_INFO),
    commit: (manifest?.commit || context.sha || '').toLowerCase() || undefined,
    origin: loaded.origin,
  };
  checkContent(layer, settings);
  return { layer, warnings };
}

function checkContent(layer: VerifiedLayer, settings: PublishSettings): void {
  if (layer.files === 0) {
    throw new ConfigurationError(`The layer zip from ${layer.origin} holds no files; a layer cannot be empty.`);
  }
  if (layer.unzippedSize > MAX_UNZIPPED_BYTES) {
    throw new ConfigurationError(
      `The layer from ${layer.origin} unzips to ${layer.unzippedSize} bytes; Lambda allows at most ${MAX_UNZIPPED_BYTES} bytes for a function and its layers.`,
    );
  }
  if (!settings.staging.s3Bucket && !fitsInlineUpload(layer.size)) {
    throw new ConfigurationError(
      `The layer zip from ${layer.origin} is ${layer.size} bytes, above what Lambda takes inline (a request of at most ${MAX_REQUEST_BYTES} bytes, about 50 MB of zip); set 's3-bucket' to stage it in S3 (a bucket per region, e.g. my-layers-{region}).`,
    );
  }
}

/** The marker and the Description carrying it; `truncated` means the user's text was cut to fit 256 characters. */
export function versionDescription(layer: VerifiedLayer): { marker: Marker; description: string; truncated: boolean } {
  // The marker's commit must be hex to be read back; anything else is left out rather than making it unparseable.
  const commit = layer.commit && /^[0-9a-f]{7,40}$/.test(layer.commit) ? layer.commit : undefined;
  const marker: Marker = { version: layer.version, ...(commit ? { commit } : {}) };
  return { marker, ...describe(layer.description, marker) };
}
