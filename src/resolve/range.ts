/**
 * The `version` input of resolve: a semver range as npm reads it (`^1.2`, `~1.4.0`, `1.x`, `>=1.2 <2`, an exact
 * `1.4.2`), or `latest`. Prereleases match only a range that names one (`1.5.0-rc.1`, `^1.5.0-rc.0`), so `latest`
 * and `^1` never hand out a release candidate or a `0.0.0-<sha>` build of a branch.
 */
import semver from 'semver';
import { ConfigurationError } from '../errors.js';

export interface VersionRange {
  /** What the user wrote. */
  input: string;
  /** The normalized semver range. */
  range: string;
  /** Set when the input names one version (`1.4.2`, `v1.4.2`, `=1.4.2`): that version without build metadata. */
  exact?: string;
  /** The build metadata of an exact input (`1.4.2+build.7` -> `build.7`): then only that build matches. */
  build?: string;
}

/** `V1.2.3` as tags are sometimes spelled; semver itself only knows a lower-case `v`. */
function normalize(value: string): string {
  return value.replace(/^(=?\s*)V(?=\d)/, '$1v');
}

export function parseRange(input: string): VersionRange {
  const value = normalize(input.trim());
  if (value === '' || value.toLowerCase() === 'latest') return { input: value || 'latest', range: '*' };
  const range = semver.validRange(value);
  if (range === null) {
    throw new ConfigurationError(
      `Input 'version' must be a semver range such as ^1.2, ~1.4.0, 1.x, 1.4.2 or latest; got '${value}'.`,
    );
  }
  const parsed: VersionRange = { input: value, range };
  const exact = semver.parse(value.replace(/^=\s*/, ''));
  if (exact) {
    parsed.exact = exact.version;
    if (exact.build.length > 0) parsed.build = exact.build.join('.');
  }
  return parsed;
}

export function inRange(version: string, range: VersionRange): boolean {
  const parsed = semver.parse(version);
  if (!parsed || !semver.satisfies(parsed, range.range)) return false;
  // Semver ignores build metadata when comparing; a user who names one build wants that build, not a sibling.
  return range.build === undefined || parsed.build.join('.') === range.build;
}

/** A version that resolve can hand out in one region. */
export interface Candidate {
  /** The layer's semver, from the version marker or the release record. */
  semver: string;
  /** Lambda's layer version number in that region. */
  layerVersion: number;
  arn: string;
  /**
   * The GitHub release it comes from is marked "pre-release": not for general use yet, whatever its semver says.
   * Such a candidate matches only a range that names its version exactly.
   */
  prerelease?: boolean;
}

function eligible(candidate: Candidate, range: VersionRange): boolean {
  if (!inRange(candidate.semver, range)) return false;
  return !candidate.prerelease || range.exact !== undefined;
}

/**
 * The newest match: the highest semver, and among equal semvers (a rerun that published again) the highest layer
 * version. So `~1.4.0` picks 1.4.2 over 1.10.0, and `^1` picks 1.10.0 over 1.9.0 (compared as semver, not text).
 */
export function pickNewest(candidates: Candidate[], range: VersionRange): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!eligible(c, range)) continue;
    if (!best) {
      best = c;
      continue;
    }
    const order = semver.compare(c.semver, best.semver);
    if (order > 0 || (order === 0 && c.layerVersion > best.layerVersion)) best = c;
  }
  return best;
}
