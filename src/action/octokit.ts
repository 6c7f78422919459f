/**
 * The one way this action makes an Octokit: @actions/github's client (GITHUB_API_URL, the runner's proxy settings)
 * with @octokit/plugin-retry and @octokit/plugin-throttling, so that one 500, 429 or reset does not fail a step.
 *
 * Retry policy (plugin defaults, read from their code): a 5xx, or a connection that failed (Octokit reports it as a
 * 500), is sent again up to 3 times after 1 s, 4 s and 9 s; 400, 401, 403, 404, 410, 422 and 451 are final. A
 * primary rate limit (x-ratelimit-remaining: 0) or a secondary one (403/429 "secondary rate limit") waits as long as
 * GitHub says (Retry-After, x-ratelimit-reset) and is retried twice; throttling also spaces writes as GitHub asks
 * integrators to. The writes this action makes are idempotent when repeated: the release body is replaced by
 * section, an asset is looked for before it is uploaded again (src/release/github.ts).
 */
import * as core from '@actions/core';
import * as github from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Octokit } from '../release/github.js';

/** Retries of one request after a rate limit: GitHub's wait is honoured, twice at most. */
const RATE_LIMIT_RETRIES = 2;

interface Throttled {
  method: string;
  url: string;
}

export function octokitFor(token: string): Octokit {
  const onLimit = (kind: string) => (retryAfter: number, options: Throttled, _octokit: unknown, retryCount: number) => {
    const again = retryCount < RATE_LIMIT_RETRIES;
    core.info(
      `GitHub ${kind} rate limit on ${options.method} ${options.url}${again ? `; retrying in ${retryAfter} s` : ''}.`,
    );
    return again;
  };
  return github.getOctokit(
    token,
    { throttle: { onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') } },
    retry,
    throttling,
  );
}
