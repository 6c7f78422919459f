/**
 * One version number for the layer release: the tag's semver when the run is for a tag, else a pre-release of
 * 0.0.0 named after the commit, so every build has a valid, traceable semver.
 */
import semver from 'semver';
import { ConfigurationError } from '../errors.js';

export interface RunContext {
  /** GITHUB_REF, e.g. refs/tags/v1.2.3 or refs/heads/main. */
  ref?: string;
  /** GITHUB_SHA. */
  sha?: string;
}

/**
 * Longest version taken: it travels in every layer version's Description (256 characters) inside the version marker
 * `[llr:<version>@<commit>]`, next to the user's own text, and names the zip `<name>-<version>.zip`, which with a
 * 140-character name must stay within a file name's 255 bytes.
 */
export const MAX_VERSION_LENGTH = 100;

/** An explicit `version`: any semver, with or without a leading 'v' (`v1.2.3` -> `1.2.3`). */
export function checkVersion(value: string): string {
  const clean = semverOf(value);
  if (!clean) {
    throw new ConfigurationError(
      `Input 'version' must be a semantic version such as 1.2.3 or 2.0.0-rc.1, got '${value}'.`,
    );
  }
  if (clean.length > MAX_VERSION_LENGTH) {
    throw new ConfigurationError(
      `Input 'version' is ${clean.length} characters; at most ${MAX_VERSION_LENGTH}, as it goes into the layer's 256-character Description.`,
    );
  }
  return clean;
}

/**
 * The tag's version when the ref is a semver tag (`v1.2.3`, `1.2.3`, or `<name>-v1.2.3` / `<name>@1.2.3` in a
 * repository with several layers); otherwise `0.0.0-<short sha>`.
 */
export function defaultVersion(context: RunContext, layerName: string): string {
  const tag = context.ref?.startsWith('refs/tags/') ? context.ref.slice('refs/tags/'.length) : undefined;
  if (tag) {
    const candidates = [
      tag,
      ...[`${layerName}-`, `${layerName}@`, `${layerName}/`]
        .filter((p) => tag.startsWith(p))
        .map((p) => tag.slice(p.length)),
    ];
    for (const candidate of candidates) {
      const clean = semverOf(candidate);
      if (clean) return clean;
    }
  }
  const sha = (context.sha ?? '').toLowerCase();
  if (!/^[0-9a-f]{7,40}$/.test(sha)) {
    throw new ConfigurationError(
      `Input 'version' is needed: the ref '${context.ref ?? ''}' is not a semver tag and GITHUB_SHA is not set.`,
    );
  }
  const short = sha.slice(0, 7);
  // A pre-release identifier that is all digits must not start with 0 (semver 9); git describe's 'g' avoids it.
  return semver.valid(`0.0.0-${short}`) ?? `0.0.0-g${short}`;
}

/**
 * The version without one leading 'v', build metadata kept (semver.valid would drop it). What is left must be a
 * plain semver: semver.valid itself still takes a second 'v' ('vv1.2.3' -> 'v1.2.3'), which is no version.
 */
function semverOf(text: string): string | undefined {
  const version = text.trim().replace(/^v/i, '');
  return /^\d/.test(version) && semver.valid(version) ? version : undefined;
}
