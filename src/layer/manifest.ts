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
