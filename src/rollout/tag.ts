/**
 * The opt-in tag: `lambda-layer-release:<name>` holding the range the function accepts. AWS tag values allow only
 * letters, digits, spaces and `+ - = . _ : / @`, so the ranges are X-ranges (`1`, `1.x`, `1.4`, `1.4.x`), `latest`,
 * or one exact version (`1.4.2`, `1.5.0-rc.1`: the only way a tag names a prerelease). Anything else (`^1` cannot be
 * stored anyway; `1.x.4`, `v1`, `>=1`, `one`) is refused for that function, never read as something close to it.
 */
import semver from 'semver';
import { parseRange, type VersionRange } from '../resolve/range.js';

export const TAG_PREFIX = 'lambda-layer-release:';

export function tagKey(layerName: string): string {
  return `${TAG_PREFIX}${layerName}`;
}

const X_RANGE = /^(?:0|[1-9]\d*)(?:\.(?:x|X|(?:0|[1-9]\d*)(?:\.(?:x|X))?))?$/;

/** The range a tag value names, or a one-line reason why it names none. */
export function parseTagRange(value: string): { range: VersionRange } | { problem: string } {
  const text = value.trim();
  const accepted = text.toLowerCase() === 'latest' || X_RANGE.test(text) || semver.valid(text) === text;
  if (!accepted) {
    return {
      problem: `value '${value}' is not a range rollout reads; use 1, 1.x, 1.4, 1.4.x, an exact version such as 1.4.2, or latest`,
    };
  }
  return { range: parseRange(text) };
}
