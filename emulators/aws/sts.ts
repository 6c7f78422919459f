import type { EmuRequest, EmuResponse, Service } from '../http.js';
import type { AwsContext } from './context.js';
import type { Identity, IssuedCredentials } from './identity.js';
import { queryError, queryParams, queryResult, requestRegion, tag } from './protocol.js';
import { PARTITIONS, partitionOf } from './regions.js';

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
/** Partitions whose roles STS knows: each STS answers for the roles of its own partition only. */
const ROLE_PARTITIONS = new Set(PARTITIONS.map((p) => p.id));
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
/** Web identity calls are unsigned: they are recognised by their Action. */
const UNSIGNED_ACTIONS = ['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'];

class StsError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function decodeSegment(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Checks that the token is a well-formed JWT with an audience and not expired; returns its claims. */
export function readWebIdentityToken(token: string): Record<string, unknown> {
  const parts = token.split('.');
  const header = parts.length === 3 ? decodeSegment(parts[0]) : undefined;
  const claims = parts.length === 3 ? decodeSegment(parts[1]) : undefined;
  if (!header || !claims || typeof header.alg !== 'string') {
    throw new StsError(400, 'InvalidIdentityToken', "Couldn't parse the web identity token as a JWT.");
  }
  const aud = claims.aud;
  if (!(typeof aud === 'string' && aud) && !(Array.isArray(aud) && aud.length > 0)) {
    throw new StsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
  }
  if (typeof claims.exp === 'number' && claims.exp * 1000 < Date.now()) {
    throw new StsError(
      400,
      'ExpiredTokenException',
      'Token expired: current date/time must be before the expiration date/time.',
    );
  }
  return claims;
}

/**
 * A signed request names its region, so a role of another partition than that region's is refused; a web identity
 * call is unsigned and reaches this one endpoint whatever its region.
 */
function roleSession(
  params: URLSearchParams,
  region: string | undefined,
): { roleArn: string; sessionName: string; duration: number } {
  const roleArn = params.get('RoleArn') ?? '';
  const sessionName = params.get('RoleSessionName') ?? '';
  const duration = Number(params.get('DurationSeconds') ?? 3600);
  const partition = ROLE_ARN.exec(roleArn)?.[1];
  if (!partition || !ROLE_PARTITIONS.has(partition) || (region && partitionOf(region) !== partition)) {
    throw new StsError(400, 'ValidationError', `${roleArn || 'null'} is not a valid role ARN for roleArn`);
  }
  if (!SESSION_NAME.test(sessionName)) {
    throw new StsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${sessionName}' at 'roleSessionName' failed to satisfy constraint: ` +
        'Member must satisfy regular expression pattern: [\\w+=,.@-]*',
    );
  }
  if (!Number.isInteger(duration) || duration < 900 || duration > 43200) {
    const rule = duration < 900 ? 'greater than or equal to 900' : 'less than or equal to 43200';
    throw new StsError(
      400,
      'ValidationError',
      `1 validation error detected: Value '${params.get('DurationSeconds')}' at 'durationSeconds' failed to satisfy ` +
        `constraint: Member must have value ${rule}`,
    );
  }
  return { roleArn, sessionName, duration };
}

function credentialsXml(issued: IssuedCredentials & { identity: Identity }): string {
  return (
    `<Credentials>${tag('AccessKeyId', issued.accessKeyId)}${tag('SecretAccessKey', issued.secretAccessKey)}` +
    `${tag('SessionToken', issued.sessionToken)}${tag('Expiration', issued.expiration.toISOString())}</Credentials>` +
    `<AssumedRoleUser>${tag('Arn', issued.identity.arn)}${tag('AssumedRoleId', issued.identity.userId)}</AssumedRoleUser>`
  );
}

function handle(ctx: AwsContext, req: EmuRequest): EmuResponse {
  const params = queryParams(req);
  const action = params.get('Action') ?? '';
  switch (action) {
    case 'AssumeRoleWithWebIdentity': {
      const claims = readWebIdentityToken(params.get('WebIdentityToken') ?? '');
      const { roleArn, sessionName, duration } = roleSession(params, req.scope?.region);
      const issued = ctx.identities.issue(roleArn, sessionName, duration);
      const audience = Array.isArray(claims.aud) ? String(claims.aud[0]) : String(claims.aud);
      return queryResult(
        action,
        NAMESPACE,
        credentialsXml(issued) +
          tag('SubjectFromWebIdentityToken', typeof claims.sub === 'string' ? claims.sub : undefined) +
          tag('Audience', audience) +
          tag('Provider', typeof claims.iss === 'string' ? claims.iss : undefined),
      );
    }
    case 'AssumeRole': {
      const { roleArn, sessionName, duration } = roleSession(params, req.scope?.region);
      return queryResult(action, NAMESPACE, credentialsXml(ctx.identities.issue(roleArn, sessionName, duration)));
    }
    case 'GetCallerIdentity': {
      const caller = ctx.caller(req);
      return queryResult(
        action,
        NAMESPACE,
        tag('Arn', caller.arn) + tag('UserId', caller.userId) + tag('Account', caller.account),
      );
    }
    default:
      throw new StsError(400, 'InvalidAction', `Could not find operation ${action || '(none)'} for version 2011-06-15`);
  }
}

/** STS (awsQuery protocol, XML answers). */
export function createStsService(ctx: AwsContext): Service {
  return {
    name: 'sts',
    matches(req) {
      if (req.scope) return req.scope.service === 'sts';
      if (req.method !== 'POST' || req.url.pathname !== '/') return false;
      return UNSIGNED_ACTIONS.includes(queryParams(req).get('Action') ?? '');
    },
    operation: (req) => queryParams(req).get('Action') ?? 'Unknown',
    faultKey: (req) => {
      const params = queryParams(req);
      return `${requestRegion(req)} ${params.get('Action')} ${params.get('RoleArn') ?? ''} ${params.get('RoleSessionName') ?? ''}`;
    },
    handle(req) {
      // IAM credentials are not valid in an opt-in region the account has not enabled.
      if (req.scope && ctx.notEnabled.has(req.scope.region)) {
        return queryError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      }
      try {
        return handle(ctx, req);
      } catch (err) {
        if (err instanceof StsError) return queryError(err.status, err.code, err.message);
        throw err;
      }
    },
    errorResponse: (kind, retryAfterSeconds) =>
      kind === 'throttle'
        ? queryError(400, 'Throttling', 'Rate exceeded', { 'retry-after': String(retryAfterSeconds) })
        : queryError(500, 'InternalFailure', 'An internal error occurred. Please retry.'),
  };
}
