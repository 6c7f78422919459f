/** Per region, the newest layer version whose semver is in the range; the same answer from either source. */
import semver from 'semver';
import { ConfigurationError } from '../errors.js';
import { sortRegions } from '../release/section.js';
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
  /** The ARN when exactly one region was asked for. */
  layerVersionArn?: string;
}

/** Raised when the range matches nothing in some regions; names every such region. */
export class NoMatchError extends ConfigurationError {
  override name = 'NoMatchError';
}

export function resolveFromCandidates(
  name: string,
  range: VersionRange,
  regions: string[],
  candidates: Map<string, Candidate[]>,
): Resolution {
  const resolution: Resolution = { arns: {}, versions: {}, semvers: {} };
  const missing: string[] = [];
  for (const region of sortRegions(regions)) {
    const best = pickNewest(candidates.get(region) ?? [], range);
    if (!best) {
      missing.push(region);
      continue;
    }
    resolution.arns[region] = best.arn;
    resolution.versions[region] = best.layerVersion;
    resolution.semvers[region] = best.semver;
  }
  if (missing.length > 0) {
    const found = (region: string) => {
      const all = candidates.get(region) ?? [];
      return all.length === 0
        ? 'no versions'
        : `only ${[...new Set(all.map((c) => c.semver))].sort(semver.rcompare).slice(0, 5).join(', ')}`;
    };
    throw new NoMatchError(
      `No version of layer '${name}' matches '${range.input}' in ${missing.length} region(s): ` +
        missing.map((r) => `${r} (${found(r)})`).join('; '),
    );
  }
  const distinct = new Set(Object.values(resolution.semvers));
  if (distinct.size === 1) resolution.resolvedVersion = [...distinct][0];
  if (regions.length === 1) resolution.layerVersionArn = Object.values(resolution.arns)[0];
  return resolution;
}
