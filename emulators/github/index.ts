import type { EmulatorComponent } from '../component.js';

export interface GitHubOptions {
  repository?: string;
  runId?: number;
}

// Placeholder until the GitHub artifact/REST/OIDC emulator lands.
export function createGitHubComponent(_options: GitHubOptions = {}): EmulatorComponent {
  return { services: [], env: () => ({}) };
}
