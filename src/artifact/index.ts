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

/** Whether an upload can work here: a local folder, or the variables the runner gives a job for the artifact service. */
export function artifactStoreAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env[LOCAL_ARTIFACT_DIR_ENV] || (env.ACTIONS_RUNTIME_TOKEN && env.ACTIONS_RESULTS_URL));
}
