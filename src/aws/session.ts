/**
 * The one credential setup of every command that calls AWS (publish, resolve, rollout): where partition-wide calls
 * go, which provider signs every regional client, and the check that gets credentials once before any region is
 * touched. The action shell (src/action/aws.ts) gives the job's OIDC token, the log's masking and its info line.
 */
import type { AwsCredentialIdentityProvider } from '@smithy/types';
import {
  checkCredentials,
  createCredentialProvider,
  credentialSource,
  type CredentialDeps,
  type CredentialSettings,
} from './credentials.js';
import { homeRegion, partitionOf, type Partition } from './partitions.js';

export interface SessionHooks {
  /** Mints the job's OIDC token (used only with `role-to-assume` and `id-token: write`). */
  getIdToken: (audience: string) => Promise<string>;
  /** Masks a secret in the log. */
  mask: (secret: string) => void;
  info: (message: string) => void;
}

export interface AwsSession {
  /** The memoized provider: the role is assumed once per run, not once per region. */
  provider: AwsCredentialIdentityProvider;
  /** Where STS and EC2 DescribeRegions go. */
  stsRegion: string;
  /** Logs where the credentials come from and gets them (transient STS failures retried), or fails in one line. */
  check(sleep?: (ms: number) => Promise<void>): Promise<void>;
}

/** Where partition-wide calls go: the runner's region when it is in the partition, else the partition's home. */
export function stsRegionFor(partition: Partition, env: NodeJS.ProcessEnv): string {
  const own = env.AWS_REGION || env.AWS_DEFAULT_REGION;
  return own && partitionOf(own) === partition ? own : homeRegion(partition);
}

export function awsSession(
  settings: CredentialSettings,
  partition: Partition,
  env: NodeJS.ProcessEnv,
  hooks: SessionHooks,
): AwsSession {
  // The runner sets ACTIONS_ID_TOKEN_REQUEST_URL only for a job with `id-token: write`.
  const oidc = Boolean(settings.roleToAssume && env.ACTIONS_ID_TOKEN_REQUEST_URL);
  const deps: CredentialDeps = {
    stsRegion: stsRegionFor(partition, env),
    ...(oidc ? { getIdToken: hooks.getIdToken } : {}),
    onCredentials: (c) => {
      hooks.mask(c.secretAccessKey);
      if (c.sessionToken) hooks.mask(c.sessionToken);
    },
  };
  const provider = createCredentialProvider(settings, deps);
  return {
    provider,
    stsRegion: deps.stsRegion,
    async check(sleep) {
      hooks.info(`AWS credentials: ${credentialSource(settings, deps)}.`);
      await checkCredentials(provider, settings, { ...deps, ...(sleep ? { sleep } : {}) });
    },
  };
}
