/**
 * What the `release` input means, decided in one place: `auto` (the default) updates the release that triggered a
 * `release` event and nothing otherwise; `true` does the same but fails when the event is not a release; `false`
 * never touches a release; anything else is a tag whose release is updated whatever the event.
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from '../errors.js';

/** The fields of a release that the event payload carries and updateRelease uses. */
export interface ReleasePayload {
  id: number;
  tag_name: string;
  upload_url?: string;
  html_url?: string;
  draft?: boolean;
}

export type ReleaseTarget =
  { kind: 'none'; reason: string } | { kind: 'event'; release: ReleasePayload } | { kind: 'tag'; tag: string };

const OFF = ['false', 'off', 'no', 'none'];
/** git check-ref-format, roughly: what a tag name can never contain. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what a tag may not hold
const BAD_TAG = /[\s~^:?*[\\\x00-\x1f\x7f]|\.\.|@\{|^[-/.]|[/.]$|\.lock$|\/\//;

export interface ReleaseEnv {
  GITHUB_EVENT_NAME?: string;
  GITHUB_EVENT_PATH?: string;
}

function eventRelease(env: ReleaseEnv, readFile: (path: string) => string): ReleaseTarget {
  if (env.GITHUB_EVENT_NAME !== 'release') {
    return { kind: 'none', reason: `the event is '${env.GITHUB_EVENT_NAME ?? 'unknown'}', not 'release'` };
  }
  if (!env.GITHUB_EVENT_PATH) {
    throw new ConfigurationError("Input 'release': the event is 'release' but GITHUB_EVENT_PATH is not set.");
  }
  let payload: { action?: string; release?: Partial<ReleasePayload> };
  try {
    payload = JSON.parse(readFile(env.GITHUB_EVENT_PATH)) as typeof payload;
  } catch (err) {
    throw new ConfigurationError(
      `Input 'release': cannot read the release event at GITHUB_EVENT_PATH (${(err as Error).message}); ` +
        "set 'release' to a tag or to false.",
    );
  }
  const release = payload.release;
  if (!release || typeof release.id !== 'number' || typeof release.tag_name !== 'string') {
    throw new ConfigurationError("Input 'release': the release event payload has no release id; set a tag instead.");
  }
  if (payload.action === 'deleted') return { kind: 'none', reason: 'the release was deleted' };
  return { kind: 'event', release: release as ReleasePayload };
}

/** Turns the `release` input and the run's environment into what to update. */
export function releaseTarget(
  input: string,
  env: ReleaseEnv,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): ReleaseTarget {
  const value = input.trim();
  const lower = value.toLowerCase();
  if (lower === '' || lower === 'auto') return eventRelease(env, readFile);
  if (OFF.includes(lower)) return { kind: 'none', reason: "input 'release' is false" };
  if (lower === 'true') {
    const target = eventRelease(env, readFile);
    if (target.kind === 'none') {
      throw new ConfigurationError(
        `Input 'release' is true but ${target.reason}; use auto, false, or the tag of the release to update.`,
      );
    }
    return target;
  }
  // What `${{ github.ref }}` gives on a tag push or a release event.
  const tag = value.startsWith('refs/tags/') ? value.slice('refs/tags/'.length) : value;
  if (/^refs\//.test(tag)) {
    throw new ConfigurationError(
      `Input 'release' is the ref '${value}', which is not a tag; give a tag (v1.2.3 or refs/tags/v1.2.3), auto, or false.`,
    );
  }
  if (tag.length > 255 || BAD_TAG.test(tag)) {
    throw new ConfigurationError(
      `Input 'release' must be auto, true, false, or a tag name; '${tag}' is not a valid tag name.`,
    );
  }
  return { kind: 'tag', tag };
}

/** The release to update for a target, or undefined when there is none. */
export function releaseRef(target: ReleaseTarget): ReleasePayload | { tag: string } | undefined {
  if (target.kind === 'event') return target.release;
  if (target.kind === 'tag') return { tag: target.tag };
  return undefined;
}

/**
 * `owner/repo`, from an input or GITHUB_REPOSITORY. The repository's web address is accepted too
 * (`https://github.com/owner/repo`, with or without `.git`), since that is what users copy from the browser.
 */
export function parseRepository(value: string, input = 'repository'): { owner: string; repo: string } {
  const text = value
    .trim()
    .replace(/^https?:\/\/[^/\s]+\//i, '')
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '');
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(text);
  if (!match) {
    throw new ConfigurationError(
      `Input '${input}' must be owner/repo (or https://github.com/owner/repo), got '${value.trim()}'.`,
    );
  }
  return { owner: match[1], repo: match[2] };
}
