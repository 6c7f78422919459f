import { GitHubArtifactStore } from './github.js';
import { LocalArtifactStore } from './local.js';
import type { ArtifactStore } from './store.js';

/** Set to a folder to keep artifacts there instead of the GitHub artifact service (runs outside GitHub, tests). */
export const LOCAL_ARTIFACT_DIR_ENV = 'LLR_ARTIFACT_DIR';

export function artifactStoreFromEnv(env: NodeJS.ProcessEnv = process.env): ArtifactStore {
  const dir = env[LOCAL_ARTIFACT_DIR_ENV];
  if (dir) return new LocalArtifactStore(dir, env.GITHUB_RUN_ID || 'local');
  return new GitHubArtifactStore();
}

/**
 * GitHub Enterprise Server, told apart as @actions/artifact does it: the client refuses every call there (it has no
 * artifact service v4), so a step learns it up front instead of from a failed call.
 */
function isGhes(serverUrl: string | undefined): boolean {
  let host: string;
  try {
    host = new URL(serverUrl || 'https://github.com').hostname.trim().toLowerCase();
  } catch {
    return false;
  }
  return host !== 'github.com' && !host.endsWith('.ghe.com') && !host.endsWith('.localhost');
}

/** Why no artifact can be stored or fetched here, or undefined when it can (a local folder, or the runner's service). */
export function artifactServiceProblem(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[LOCAL_ARTIFACT_DIR_ENV]) return undefined;
  if (isGhes(env.GITHUB_SERVER_URL)) {
    return `GitHub Enterprise Server (${env.GITHUB_SERVER_URL}) has no artifact service for @actions/artifact v2+`;
  }
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL) {
    return 'the GitHub artifact service is not reachable here (ACTIONS_RUNTIME_TOKEN / ACTIONS_RESULTS_URL unset)';
  }
  return undefined;
}

/** Whether an upload can work here: a local folder, or the variables the runner gives a job for the artifact service. */
export function artifactStoreAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return artifactServiceProblem(env) === undefined;
}
