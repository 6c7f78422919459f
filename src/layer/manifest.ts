import { ConfigurationError } from '../errors.js';

/**
 * What travels beside the zip in the build artifact. The publish job trusts nothing in the artifact until the zip's
 * sha256 matches `sha256` here.
 */
export interface Manifest {
  schema: 1;
  name: string;
  /** Semver of this layer release. */
  version: string;
  /** Hex SHA-256 of the zip. */
  sha256: string;
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  codeSha256: string;
  /** Zip size in bytes. */
  size: number;
  /** Sum of the entries' uncompressed sizes in bytes. */
  unzippedSize: number;
  /** Number of file entries (directories not counted). */
  files: number;
  runtimes: string[];
  architectures: string[];
  description: string;
  licenseInfo: string;
  commit: string;
  ref: string;
  runId: string;
  /** File name of the zip inside the artifact. */
  zipFile: string;
}

export const MANIFEST_FILE = 'manifest.json';

const STRING_FIELDS = [
  'name',
  'version',
  'sha256',
  'codeSha256',
  'description',
  'licenseInfo',
  'commit',
  'ref',
  'runId',
  'zipFile',
] as const;
const NUMBER_FIELDS = ['size', 'unzippedSize', 'files'] as const;
const LIST_FIELDS = ['runtimes', 'architectures'] as const;

/** Base64 of the SHA-256 given in hex: the form Lambda reports as CodeSha256. */
export function codeSha256Of(sha256Hex: string): string {
  return Buffer.from(sha256Hex, 'hex').toString('base64');
}

export function formatManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Reads a manifest back, refusing one that is not ours or lacks a field: the publish job must not guess a digest.
 * `source` names where it came from, for the message.
 */
export function parseManifest(text: string, source: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConfigurationError(`${source} is not JSON; it should be the ${MANIFEST_FILE} written by the build step.`);
  }
  const m = value as Record<string, unknown>;
  const bad = (field: string) =>
    new ConfigurationError(`${source} is not a lambda-layer-release manifest: '${field}' is missing or wrong.`);
  if (typeof m !== 'object' || m === null || m.schema !== 1) throw bad('schema');
  for (const f of STRING_FIELDS) if (typeof m[f] !== 'string') throw bad(f);
  for (const f of NUMBER_FIELDS) if (!Number.isSafeInteger(m[f]) || (m[f] as number) < 0) throw bad(f);
  for (const f of LIST_FIELDS)
    if (!Array.isArray(m[f]) || !(m[f] as unknown[]).every((x) => typeof x === 'string')) throw bad(f);
  if (!/^[0-9a-f]{64}$/.test(m.sha256 as string)) throw bad('sha256');
  if (m.codeSha256 !== codeSha256Of(m.sha256 as string)) throw bad('codeSha256');
  if ((m.zipFile as string).includes('/') || (m.zipFile as string).includes('\\')) throw bad('zipFile');
  return m as unknown as Manifest;
}
