import { json, type EmuResponse, type Service } from '../http.js';
import type { GitHubState } from './state.js';
import { decodeJwt, mintIdToken, readAuthorization } from './tokens.js';

/**
 * The runner's OIDC token endpoint as @actions/core getIDToken calls it: GET ACTIONS_ID_TOKEN_REQUEST_URL plus
 * `&audience=…` with `Authorization: Bearer ACTIONS_ID_TOKEN_REQUEST_TOKEN`, answering {value: <JWT>}.
 * Its HTTP client retries only 502/503/504, so the 429 and 500 this service fails with under faults are not retried.
 */

export const OIDC_PATH = '/_apis/actions/oidc/idtoken';

function oidcError(status: number, message: string, headers: Record<string, string | number> = {}): EmuResponse {
  return json(status, { message }, headers);
}

export function createOidcService(state: GitHubState): Service {
  return {
    name: 'github',
    matches: (req) => !req.scope && req.url.pathname === OIDC_PATH,
    errorResponse: (kind, retryAfterSeconds) =>
      kind === 'throttle'
        ? oidcError(429, 'Too many requests', { 'retry-after': retryAfterSeconds })
        : oidcError(500, 'Internal server error'),
    handle(req) {
      if (req.method !== 'GET') return oidcError(405, 'Method not allowed');
      const credential = readAuthorization(String(req.headers.authorization ?? ''));
      if (credential?.scheme !== 'bearer' || credential.token !== state.config.idTokenRequestToken) {
        return oidcError(401, 'The ACTIONS_ID_TOKEN_REQUEST_TOKEN bearer is missing or wrong');
      }
      const [owner] = state.config.repository.split('/');
      const audience = req.url.searchParams.get('audience') || `https://github.com/${owner}`;
      const value = mintIdToken(
        {
          repository: state.config.repository,
          ref: state.config.ref,
          sha: state.config.sha,
          runId: state.config.runId,
          event: state.config.event,
          audience,
        },
        state.config.secret,
      );
      state.idTokens.push(decodeJwt(value) ?? {});
      return json(200, { count: 1, value });
    },
  };
}
