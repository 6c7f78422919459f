/**
 * Where AWS credentials come from: the default provider chain (so aws-actions/configure-aws-credentials, env keys
 * and profiles just work), or `role-to-assume`, taken with the job's GitHub OIDC token when it can mint one
 * (`id-token: write`) and otherwise assumed from the ambient credentials. One memoized provider serves every
 * regional client, so the role is assumed once per run, not once per region.
 */
import { fromNodeProviderChain, fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { ConfigurationError, errorMessage, ServiceError } from '../errors.js';
import { classifyAwsError } from './errors.js';

export interface CredentialSettings {
  roleToAssume?: string;
  roleSessionName: string;
  audience: string;
}

export interface CredentialDeps {
  /** Region of the STS endpoint: one of the target partition's. */
  stsRegion: string;
  /** Mints the job's OIDC token; absent when the job has no `id-token: write`. */
  getIdToken?: (audience: string) => Promise<string>;
  /** Called with every credential set obtained, so the caller can mask the secrets in the log. */
  onCredentials?: (credentials: AwsCredentialIdentity) => void;
  now?: () => number;
  /** Waits between attempts of the OIDC token fetch; tests pass an instant one. */
  sleep?: (ms: number) => Promise<void>;
}

/** Refresh this long before expiry, so that no request is signed with credentials about to lapse. */
const REFRESH_MARGIN_MS = 5 * 60 * 1000;

export function credentialSource(settings: CredentialSettings, deps: Pick<CredentialDeps, 'getIdToken'>): string {
  if (!settings.roleToAssume) return 'the default credential chain';
  return deps.getIdToken
    ? `role ${settings.roleToAssume} through GitHub OIDC`
    : `role ${settings.roleToAssume} assumed from the ambient credentials`;
}

function baseProvider(settings: CredentialSettings, deps: CredentialDeps): AwsCredentialIdentityProvider {
  const { roleToAssume, roleSessionName, audience } = settings;
  const clientConfig = { region: deps.stsRegion };
  if (!roleToAssume) return fromNodeProviderChain();
  const getIdToken = deps.getIdToken;
  if (getIdToken) {
    const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    return async () => {
      const webIdentityToken = await idTokenWithRetries(() => getIdToken(audience), sleep).catch((err: unknown) => {
        throw new OidcTokenError(oneLine(err));
      });
      return fromWebToken({ roleArn: roleToAssume, roleSessionName, webIdentityToken, clientConfig })();
    };
  }
  const assume = fromTemporaryCredentials({
    params: { RoleArn: roleToAssume, RoleSessionName: roleSessionName },
    masterCredentials: fromNodeProviderChain(),
    clientConfig,
  });
  return () => assume();
}

/** Attempts of the OIDC token fetch: the toolkit's getIDToken retries only 502-504 itself, not a 500, a 429 or a reset. */
const ID_TOKEN_ATTEMPTS = 4;

/**
 * A 429, a 5xx or a failed connection (core reports `Error Code : undefined`) may work a moment later; a 401 or 403,
 * or a job without the variables, will not.
 */
function transientIdTokenError(err: unknown): boolean {
  const code = /Error Code\s*:\s*(\w+)/.exec(errorMessage(err))?.[1];
  return code !== undefined && (code === 'undefined' || code === '429' || code.startsWith('5'));
}

async function idTokenWithRetries(fetchToken: () => Promise<string>, sleep: (ms: number) => Promise<void>) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetchToken();
    } catch (err) {
      if (attempt >= ID_TOKEN_ATTEMPTS || !transientIdTokenError(err)) throw err;
      await sleep(1000 * 2 ** (attempt - 1));
    }
  }
}

/** A provider that asks once, shares the answer, and asks again only near expiry or after a failure. */
export function createCredentialProvider(
  settings: CredentialSettings,
  deps: CredentialDeps,
): AwsCredentialIdentityProvider {
  const inner = baseProvider(settings, deps);
  const now = deps.now ?? Date.now;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  let current: AwsCredentialIdentity | undefined;
  const fresh = (c: AwsCredentialIdentity) => !c.expiration || c.expiration.getTime() - now() > REFRESH_MARGIN_MS;
  return async () => {
    if (current && fresh(current)) return current;
    pending ??= inner()
      .then((credentials) => {
        deps.onCredentials?.(credentials);
        current = credentials;
        return credentials;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };
}

/** The job's GitHub OIDC token could not be minted: a job permission, not a trust policy, is the likely cause. */
class OidcTokenError extends Error {
  override name = 'OidcTokenError';
}

/** Every line of an error's message on one line (core.getIDToken puts the HTTP status and reason on later lines). */
function oneLine(err: unknown): string {
  return errorMessage(err).replace(/\s+/g, ' ').trim();
}

/** No credentials at all in the default chain (env, profile, container, instance); not a refusal by STS. */
function noCredentialsFound(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'CredentialsProviderError';
}

/** Attempts at getting credentials when STS (or the network to it) fails transiently; each is the SDK's own retries. */
export const CREDENTIAL_ATTEMPTS = 3;
/** Waits between those attempts: 1 s, then 3 s. */
const CREDENTIAL_BACKOFF_MS = [1000, 3000];

/** A failure that says nothing about the role or its trust policy: throttling, a 5xx, a reset, a timeout. */
function isTransient(err: unknown): boolean {
  if (err instanceof OidcTokenError || noCredentialsFound(err)) return false;
  const kind = classifyAwsError(err);
  return kind === 'throttled' || kind === 'unknown-outcome';
}

/**
 * Gets credentials once before any region is touched, so a broken setup is one clear error, not N failed regions.
 * A transient failure (STS throttling or failing, the connection reset) is tried again, and when it persists it is
 * described as what it is, not as a trust policy to check.
 */
export async function checkCredentials(
  provider: AwsCredentialIdentityProvider,
  settings: CredentialSettings,
  deps: Pick<CredentialDeps, 'getIdToken'> & { sleep?: (ms: number) => Promise<void> },
): Promise<void> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let attempt = 1; ; attempt++) {
    try {
      await provider();
      return;
    } catch (err) {
      if (isTransient(err) && attempt < CREDENTIAL_ATTEMPTS) {
        await sleep(CREDENTIAL_BACKOFF_MS[attempt - 1] ?? CREDENTIAL_BACKOFF_MS.at(-1)!);
        continue;
      }
      const message = `Could not get AWS credentials from ${credentialSource(settings, deps)}: ${oneLine(err)}; ${hint(err, settings, deps, attempt)}.`;
      // Still failing after the retries: STS's or the network's; anything else is the role, its trust or the job's.
      throw isTransient(err) ? new ServiceError(message) : new ConfigurationError(message);
    }
  }
}

function hint(
  err: unknown,
  settings: CredentialSettings,
  deps: Pick<CredentialDeps, 'getIdToken'>,
  attempts: number,
): string {
  const role = settings.roleToAssume;
  if (isTransient(err)) {
    return `a transient failure of STS or of the network to it (${attempts} attempts), not a problem of the role or its trust policy; rerun the job`;
  }
  if (!role) return "set 'role-to-assume' or run aws-actions/configure-aws-credentials before this step";
  if (err instanceof OidcTokenError) {
    return "the job needs 'permissions: id-token: write' (a pull request from a fork gets no token)";
  }
  if (!deps.getIdToken && noCredentialsFound(err)) {
    return "the job has no OIDC token and no other AWS credentials to assume the role with: give the job 'permissions: id-token: write', or run aws-actions/configure-aws-credentials before this step";
  }
  return `check the role's trust policy${deps.getIdToken ? '' : ", or give the job 'permissions: id-token: write' to use OIDC"}`;
}
