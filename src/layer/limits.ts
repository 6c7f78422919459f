/**
 * Lambda's limits on a layer, checked before anything is uploaded. Each failure is one line naming the input.
 * Numbers from the Lambda API model and quotas page (FACTS.md).
 */
import { ConfigurationError } from '../errors.js';
import { isDeprecated, isRuntime } from './runtimes.js';

export const NAME_PATTERN = /^[A-Za-z0-9_-]{1,140}$/;
export const MAX_RUNTIMES = 15;
export const ARCHITECTURES = ['x86_64', 'arm64'] as const;
export const MAX_DESCRIPTION = 256;
export const MAX_LICENSE_INFO = 512;
/** Unzipped size of a function and all its layers together; one layer cannot be more. */
export const MAX_UNZIPPED_BYTES = 262_144_000;
/** PublishLayerVersion's request limit; the zip travels base64-encoded inside a JSON body. */
export const MAX_REQUEST_BYTES = 69_905_067;
/** Room for the rest of the JSON body (description, runtimes, license) next to the base64 zip. */
const REQUEST_OVERHEAD_BYTES = 4096;
/** Extensions a function can run, across all its layers. */
export const MAX_EXTENSIONS = 10;
/** What @actions/artifact refuses in an artifact name. */
const ARTIFACT_NAME_FORBIDDEN = /[":<>|*?\r\n\\/]/;

export function checkName(name: string): string {
  if (!NAME_PATTERN.test(name)) {
    throw new ConfigurationError(
      `Input 'name' must be 1 to 140 letters, digits, '-' or '_' (a Lambda layer name), got '${name}'.`,
    );
  }
  return name;
}

/**
 * Valid runtime ids, de-duplicated; deprecated ones are accepted (AWS accepts them for layers) with a warning.
 * Every id is lowercase, and AWS compares them exactly: 'Python3.12' is read as the id it can only mean.
 */
export function checkRuntimes(runtimes: string[]): { runtimes: string[]; warnings: string[] } {
  const unique = [...new Set(runtimes.map((r) => r.toLowerCase()))];
  const unknown = unique.filter((r) => !isRuntime(r));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Input 'compatible-runtimes' has unknown runtime ${unknown.map((r) => `'${r}'`).join(', ')}; use Lambda runtime ids such as python3.13, nodejs22.x, java21, ruby3.4, provided.al2023.`,
    );
  }
  if (unique.length > MAX_RUNTIMES) {
    throw new ConfigurationError(
      `Input 'compatible-runtimes' lists ${unique.length} runtimes; Lambda allows at most ${MAX_RUNTIMES}.`,
    );
  }
  const deprecated = unique.filter(isDeprecated);
  const warnings = deprecated.length
    ? [`compatible-runtimes: ${deprecated.join(', ')} deprecated by AWS; layers still accept them.`]
    : [];
  return { runtimes: unique, warnings };
}

/** 'X86_64' and 'ARM64' are read as the lowercase ids AWS expects. */
export function checkArchitectures(architectures: string[]): string[] {
  const unique = [...new Set(architectures.map((a) => a.toLowerCase()))];
  const unknown = unique.filter((a) => !(ARCHITECTURES as readonly string[]).includes(a));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `Input 'compatible-architectures' must list x86_64 and/or arm64, got ${unknown.map((a) => `'${a}'`).join(', ')}.`,
    );
  }
  return unique;
}

export function checkText(input: string, value: string, max: number): string {
  if (value.length > max) {
    throw new ConfigurationError(`Input '${input}' is ${value.length} characters; Lambda allows at most ${max}.`);
  }
  return value;
}

export function checkArtifactName(name: string): string {
  if (!name || ARTIFACT_NAME_FORBIDDEN.test(name)) {
    throw new ConfigurationError(
      `Input 'artifact-name' must be non-empty and free of " : < > | * ? \\ / and line breaks, got '${name}'.`,
    );
  }
  return name;
}

/** The layer's content limits: not empty, not above the unzipped limit. */
export function checkContent(stats: { files: number; unzippedSize: number }, source: string): void {
  if (stats.files === 0) {
    throw new ConfigurationError(
      `Input 'path': ${source} holds no files after 'exclude' is applied; a layer cannot be empty.`,
    );
  }
  if (stats.unzippedSize > MAX_UNZIPPED_BYTES) {
    throw new ConfigurationError(
      `Input 'path': ${source} is ${stats.unzippedSize} bytes unzipped; Lambda allows at most ${MAX_UNZIPPED_BYTES} bytes (250 MiB) for a function and its layers.`,
    );
  }
}

/** Whether PublishLayerVersion can carry the zip inline; above this, publish needs `s3-bucket`. */
export function fitsInlineUpload(zipBytes: number): boolean {
  return 4 * Math.ceil(zipBytes / 3) + REQUEST_OVERHEAD_BYTES <= MAX_REQUEST_BYTES;
}

/** Mistakes in the extensions/ folder that Lambda reports only when a function starts. */
export function extensionWarnings(entries: { path: string; kind: string; executable: boolean }[]): string[] {
  const extensions = entries.filter((e) => /^extensions\/[^/]+$/.test(e.path) && e.kind !== 'dir');
  const warnings = extensions
    .filter((e) => e.kind === 'file' && !e.executable)
    .map((e) => `${e.path} is not executable; Lambda starts every file in extensions/ and will fail on it.`);
  if (extensions.length > MAX_EXTENSIONS) {
    warnings.push(`extensions/ holds ${extensions.length} files; a function can run at most ${MAX_EXTENSIONS}.`);
  }
  return warnings;
}
