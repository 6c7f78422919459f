import { createHmac, randomUUID } from 'node:crypto';

/**
 * Tokens the GitHub half of the emulator hands out and reads back.
 *
 * ACTIONS_RUNTIME_TOKEN is an unsigned JWT: @actions/artifact only decodes its payload (jwt-decode) and takes the
 * workflow run and job ids from the `scp` claim's `Actions.Results:<runId>:<jobId>` scope. The emulator reads the
 * same claim to decide which run a Twirp call acts for, so a test becomes "another run" by minting another token.
 */

export interface RuntimeIds {
  /** The workflow run backend id; numeric ids also become REST workflow runs. */
  runId: string;
  jobId: string;
  /** owner/name the run belongs to; the emulator's repository when absent. */
  repository?: string;
}

const base64url = (value: string | Buffer): string => Buffer.from(value).toString('base64url');

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  if (!part) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The claims of any JWT, unverified; undefined when it is not a JWT. */
export function decodeJwt(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !decodePart(parts[0])) return undefined;
  return decodePart(parts[1]);
}

/**
 * Mints an ACTIONS_RUNTIME_TOKEN for a workflow run and job, as the runner's token looks to @actions/artifact:
 * `scp` holds `Actions.Results:<runId>:<jobId>` among other scopes. Unsigned (alg none), like the emulator itself.
 */
export function mintRuntimeToken(ids: {
  runId: number | string;
  jobId?: number | string;
  repository?: string;
}): string {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = {
    scp: `Actions.ExampleScope Actions.Results:${ids.runId}:${ids.jobId ?? 1}`,
    iss: 'vstoken.actions.githubusercontent.com',
    aud: 'vso:emulator',
    nbf: now - 60,
    iat: now - 60,
    exp: now + 6 * 3600,
  };
  if (ids.repository) claims.repository = ids.repository;
  return `${base64url(JSON.stringify({ typ: 'JWT', alg: 'none' }))}.${base64url(JSON.stringify(claims))}.`;
}

/** Reads the run and job a runtime token acts for, the way @actions/artifact's getBackendIdsFromToken does. */
export function parseRuntimeToken(token: string): RuntimeIds | undefined {
  const claims = decodeJwt(token);
  if (!claims || typeof claims.scp !== 'string') return undefined;
  for (const scope of claims.scp.split(' ')) {
    const parts = scope.split(':');
    if (parts[0] !== 'Actions.Results') continue;
    if (parts.length !== 3 || !parts[1] || !parts[2]) return undefined;
    const repository = typeof claims.repository === 'string' ? claims.repository : undefined;
    return { runId: parts[1], jobId: parts[2], ...(repository ? { repository } : {}) };
  }
  return undefined;
}

/** The bearer or `token` credential of a request, split into scheme and value. */
export function readAuthorization(header: string | undefined): { scheme: string; token: string } | undefined {
  const match = /^\s*(bearer|token)\s+(\S+)\s*$/i.exec(header ?? '');
  return match ? { scheme: match[1].toLowerCase(), token: match[2] } : undefined;
}

export interface IdTokenContext {
  repository: string;
  ref: string;
  sha: string;
  runId: number;
  event: string;
  audience: string;
}

/**
 * An OIDC token shaped like GitHub's (issuer, subject, audience and the usual claims), signed HS256 with the
 * emulator's secret: good enough for the local STS, which only checks that it is a well-formed JWT with `aud`.
 */
export function mintIdToken(context: IdTokenContext, secret: string): string {
  const now = Math.floor(Date.now() / 1000);
  const [owner] = context.repository.split('/');
  const claims = {
    jti: randomUUID(),
    sub: `repo:${context.repository}:ref:${context.ref}`,
    aud: context.audience,
    ref: context.ref,
    sha: context.sha,
    repository: context.repository,
    repository_owner: owner,
    run_id: String(context.runId),
    run_number: '1',
    run_attempt: '1',
    actor: 'octocat',
    workflow: 'release',
    event_name: context.event,
    ref_type: context.ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    job_workflow_ref: `${context.repository}/.github/workflows/release.yml@${context.ref}`,
    runner_environment: 'github-hosted',
    iss: 'https://token.actions.githubusercontent.com',
    nbf: now - 5,
    iat: now,
    exp: now + 300,
  };
  const unsigned = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'HS256', kid: 'emulator' }))}.${base64url(
    JSON.stringify(claims),
  )}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}
