/**
 * The version marker: every version this action publishes ends its Description with
 *
 *     [llr:<semver>@<commit>]        e.g.  "OpenTelemetry collector [llr:1.4.2@0a1b2c3d4e5f]"
 *
 * where <commit> is the first 12 hex digits of the commit that built it (omitted, with the '@', when unknown).
 * `resolve`, `skip-unchanged` and `align-versions: pad` read it back; versions without it are not ours.
 */
import semver from 'semver';

export const DESCRIPTION_LIMIT = 256;
const MARKER_PATTERN = /\[llr:([0-9A-Za-z.+-]+?)(?:@([0-9a-f]{7,40}))?\]\s*$/;

export interface Marker {
  version: string;
  commit?: string;
}

export function formatMarker(marker: Marker): string {
  const commit = marker.commit ? `@${marker.commit.toLowerCase().slice(0, 12)}` : '';
  return `[llr:${marker.version}${commit}]`;
}

export function parseMarker(description: string | undefined): Marker | undefined {
  const match = MARKER_PATTERN.exec(description ?? '');
  if (!match || !semver.valid(match[1])) return undefined;
  return match[2] ? { version: match[1], commit: match[2] } : { version: match[1] };
}

export function sameMarker(a: Marker | undefined, b: Marker | undefined): boolean {
  if (!a || !b) return false;
  return a.version === b.version && (a.commit ?? '').slice(0, 12) === (b.commit ?? '').slice(0, 12);
}

/**
 * The Description to publish: the user's text, cut to leave room for the marker. `truncated` tells the caller to warn.
 */
export function describe(userText: string, marker: Marker): { description: string; truncated: boolean } {
  const suffix = formatMarker(marker);
  const room = DESCRIPTION_LIMIT - suffix.length - 1;
  const text = userText.trim();
  if (!text) return { description: suffix, truncated: false };
  if (text.length <= room) return { description: `${text} ${suffix}`, truncated: false };
  return { description: `${text.slice(0, room - 3).trimEnd()}... ${suffix}`, truncated: true };
}
