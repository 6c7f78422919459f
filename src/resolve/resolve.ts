/** Per region, the newest layer version whose semver is in the range; the same answer from either source. */
import semver from 'semver';
import { ConfigurationError } from '../errors.js';
import { sortRegions } from '../record/index.js';
import { pickNewest, type Candidate, type VersionRange } from './range.js';

export interface Resolution {
  /** region -> LayerVersionArn */
  arns: Record<string, string>;
  /** region -> Lambda layer version number */
  versions: Record<string, number>;
  /** region -> the semver picked there */
  semvers: Record<string, string>;
  /** The semver when every region resolved to the same one; undefined when they differ. */
  resolvedVersion?: string;
  /** The ARN when exactly one region resolved. */
  layerVersionArn?: string;
  /** Optional regions left out, with why (`no versions`, `only 1.0.0`); absent when none were. */
  skipped?: Record<string, string>;
}

export interface ResolveOptions {
  /**
   * Regions the user did not name (from `all`, `all-enabled`, or every region a repository's releases list): one
   * without a match is left out instead of failing the lookup, as long as some region resolves.
   */
  optional?: ReadonlySet<string>;
}

/** Raised when the range matches nothing in some regions; names every such region. */
export class NoMatchError extends ConfigurationError {
  override name = 'NoMatchError';
}

/** What a region has, for messages: `no versions`, or its newest few semvers. */
function whatItHas(candidates: Candidate[] | undefined): string {
  const all = candidates ?? [];
  if (all.length === 0) return 'no versions';
  return `only ${[...new Set(all.map((c) => c.semver))].sort(semver.rcompare).slice(0, 5).join(', ')}`;
}

/**
 * `eu-west-1 (only 1.0.0); sa-east-1 (no versions)`. For regions from `all` the many without the layer are listed
 * once, at the end, so the regions that do have it stand out.
 */
function describeMisses(regions: string[], candidates: Map<string, Candidate[]>, groupAbsent: boolean): string {
  const sorted = sortRegions(regions);
  const has = (r: string) => (candidates.get(r)?.length ?? 0) > 0;
  if (!groupAbsent) return sorted.map((r) => `${r} (${whatItHas(candidates.get(r))})`).join('; ');
  const parts = sorted.filter(has).map((r) => `${r} (${whatItHas(candidates.get(r))})`);
  const absent = sorted.filter((r) => !has(r));
  if (absent.length > 0) parts.push(`no versions in ${absent.join(', ')}`);
  return parts.join('; ');
}

/** When what the regions have is only prereleases (branch builds), say how to ask for one. */
function prereleaseHint(regions: string[], candidates: Map<string, Candidate[]>): string {
  const versions = regions.flatMap((r) => (candidates.get(r) ?? []).map((c) => c.semver));
  if (versions.length === 0 || !versions.every((v) => semver.prerelease(v))) return '';
  const newest = [...versions].sort(semver.rcompare)[0];
  return `. Prereleases match only a range that names one, such as '${newest}'`;
}

export function resolveFromCandidates(
  name: string,
  range: VersionRange,
  regions: string[],
  candidates: Map<string, Candidate[]>,
  options: ResolveOptions = {},
): Resolution {
  const resolution: Resolution = { arns: {}, versions: {}, semvers: {} };
  const missing: string[] = [];
  const skipped: Record<string, string> = {};
  for (const region of sortRegions(regions)) {
    const best = pickNewest(candidates.get(region) ?? [], range);
    if (!best) {
      if (options.optional?.has(region)) skipped[region] = whatItHas(candidates.get(region));
      else missing.push(region);
      continue;
    }
    resolution.arns[region] = best.arn;
    resolution.versions[region] = best.layerVersion;
    resolution.semvers[region] = best.semver;
  }
  const resolved = Object.keys(resolution.arns);
  if (missing.length > 0 || resolved.length === 0) {
    // A named region that misses is the error; the optional ones only matter when nothing resolved at all.
    const all = missing.length > 0 ? missing : Object.keys(skipped);
    throw new NoMatchError(
      `No version of layer '${name}' matches '${range.input}' in ${all.length} region(s): ` +
        describeMisses(all, candidates, missing.length === 0) +
        prereleaseHint(all, candidates),
    );
  }
  if (Object.keys(skipped).length > 0) resolution.skipped = skipped;
  const distinct = new Set(Object.values(resolution.semvers));
  if (distinct.size === 1) resolution.resolvedVersion = [...distinct][0];
  if (resolved.length === 1) resolution.layerVersionArn = resolution.arns[resolved[0]];
  return resolution;
}
