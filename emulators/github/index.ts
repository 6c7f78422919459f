import type { EmulatorComponent } from '../component.js';
import { createBlobService } from './blob.js';
import { createGitHubControl } from './control.js';
import { createOidcService, OIDC_PATH } from './oidc.js';
import { createArtifactRestService } from './rest-artifacts.js';
import { createAssetsService } from './rest-assets.js';
import { createReleasesService } from './rest-releases.js';
import { createRunsService } from './rest-runs.js';
import { GitHubState, randomSecret } from './state.js';
import { mintRuntimeToken } from './tokens.js';
import { createTwirpService } from './twirp.js';

export { mintRuntimeToken, parseRuntimeToken, decodeJwt } from './tokens.js';
export type { GitHubState } from './state.js';

export interface GitHubOptions {
  /** owner/name; default octo-org/octo-layer. */
  repository?: string;
  /** The run this emulated runner is in (GITHUB_RUN_ID and the runtime token's run); default 1000. */
  runId?: number;
  /** The job id in the runtime token; default 1. */
  jobId?: number | string;
  /** GITHUB_SHA; default a fixed 40-hex commit. */
  sha?: string;
  /** GITHUB_REF; default refs/tags/v1.0.0. */
  ref?: string;
  /** The event of runs the emulator creates by itself; default push. */
  event?: string;
  /** The dummy GITHUB_TOKEN handed out (every token is accepted unless a test marks it). */
  token?: string;
  /** The repository has immutable releases on (`--immutable-releases`); default off. */
  immutableReleases?: boolean;
}

export const DEFAULT_REPOSITORY = 'octo-org/octo-layer';
export const DEFAULT_RUN_ID = 1000;
export const DEFAULT_SHA = '6dcb09b5b57875f334f61aebed695e2e4193db5e';

export interface GitHubComponent extends EmulatorComponent {
  /** The live state, for in-process tests that hold the component. */
  state: GitHubState;
}

/**
 * The GitHub half of the emulator: the Actions artifact service (Twirp + blob + the REST routes of cross-run
 * downloads), a REST subset for releases, assets and workflow runs, and the OIDC token endpoint.
 */
export function createGitHubComponent(options: GitHubOptions = {}): GitHubComponent {
  const state = new GitHubState({
    repository: options.repository ?? DEFAULT_REPOSITORY,
    runId: options.runId ?? DEFAULT_RUN_ID,
    jobId: String(options.jobId ?? 1),
    sha: options.sha ?? DEFAULT_SHA,
    ref: options.ref ?? 'refs/tags/v1.0.0',
    event: options.event ?? 'push',
    token: options.token ?? 'ghs_emulatorDummyToken0000000000000000',
    idTokenRequestToken: `emulator-oidc-${randomSecret()}`,
    secret: randomSecret(),
    immutableReleases: options.immutableReleases ?? false,
  });
  return {
    state,
    // Order matters only for readability: the path patterns of these services do not overlap.
    services: [
      createTwirpService(state),
      createBlobService(state),
      createArtifactRestService(state),
      createRunsService(state),
      createReleasesService(state),
      createAssetsService(state),
      createOidcService(state),
    ],
    control: createGitHubControl(state),
    env(baseUrl) {
      const { config } = state;
      return {
        // The runner gives the results URL with a trailing slash; the client keeps only its origin.
        ACTIONS_RESULTS_URL: `${baseUrl}/`,
        ACTIONS_RUNTIME_TOKEN: mintRuntimeToken({ runId: config.runId, jobId: config.jobId }),
        GITHUB_API_URL: baseUrl,
        ACTIONS_ID_TOKEN_REQUEST_URL: `${baseUrl}${OIDC_PATH}?api-version=2.0`,
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: config.idTokenRequestToken,
        GITHUB_REPOSITORY: config.repository,
        GITHUB_REPOSITORY_OWNER: config.repository.split('/')[0],
        GITHUB_RUN_ID: String(config.runId),
        GITHUB_RUN_ATTEMPT: '1',
        GITHUB_SHA: config.sha,
        GITHUB_REF: config.ref,
        GITHUB_TOKEN: config.token,
      };
    },
  };
}
