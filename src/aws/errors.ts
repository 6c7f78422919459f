/**
 * What an AWS error means for the caller: retry, look before resending, give up on the region, or carry on.
 * The SDK does not validate; these come from AWS (or the network) and are sorted by name and HTTP status.
 */
import { ConfigurationError, ServiceError } from '../errors.js';

export type AwsErrorKind =
  /** Throttled: nothing was done; safe to send again after waiting. */
  | 'throttled'
  /** A 5xx, a reset or a timeout: AWS may or may not have acted on the request. */
  | 'unknown-outcome'
  /** An opt-in region the account has not enabled (or credentials AWS does not recognise). */
  | 'not-enabled'
  | 'access-denied'
  | 'not-found'
  | 'conflict'
  /** Any other refusal: the request was understood and turned down. */
  | 'rejected';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  retryAfterSeconds?: string | number;
}

const THROTTLING = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'SlowDown',
]);
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);

function fields(err: unknown): SdkError {
  return typeof err === 'object' && err !== null ? (err as SdkError) : { message: String(err) };
}

export function httpStatusOf(err: unknown): number | undefined {
  return fields(err).$metadata?.httpStatusCode;
}

export function classifyAwsError(err: unknown): AwsErrorKind {
  const e = fields(err);
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId') return 'not-enabled';
  if (/AccessDenied|NotAuthorized|UnauthorizedOperation/i.test(name) || status === 403) return 'access-denied';
  if (name === 'ResourceNotFoundException' || status === 404) return 'not-found';
  if (name === 'ResourceConflictException' || status === 409) return 'conflict';
  if (status !== undefined && status >= 500) return 'unknown-outcome';
  if (status === undefined) {
    if (
      NETWORK_CODES.has(e.code ?? '') ||
      NETWORK_NAMES.has(name) ||
      /socket hang up|ECONNRESET/i.test(e.message ?? '')
    )
      return 'unknown-outcome';
  }
  return 'rejected';
}

/** Seconds AWS asked us to wait (Lambda's TooManyRequestsException carries Retry-After as `retryAfterSeconds`). */
export function retryAfterMs(err: unknown): number | undefined {
  const value = Number(fields(err).retryAfterSeconds);
  return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
}

/** The IAM action AWS says is missing, else the one the operation needs (IAM actions match the operations). */
export function missingPermission(err: unknown, operation: string, service = 'lambda'): string {
  const match = /perform:\s*([A-Za-z0-9-]+:[A-Za-z0-9*]+)/.exec(fields(err).message ?? '');
  return match ? match[1] : `${service}:${operation}`;
}

/** One line for the summary and the result record; never includes credentials (AWS messages do not carry them). */
export function describeAwsError(err: unknown, operation: string, service = 'lambda'): string {
  const e = fields(err);
  const name = e.name && e.name !== 'Error' ? e.name : (e.code ?? 'Error');
  const message = (e.message ?? '').replace(/\s+/g, ' ').trim();
  switch (classifyAwsError(err)) {
    case 'not-enabled':
      return `region not enabled for this account (${name} on ${operation}); enable it in the account settings or leave it out`;
    case 'access-denied':
      return `access denied: missing permission ${missingPermission(err, operation, service)} (${name})`;
    default:
      return `${operation} failed: ${name}${message && message !== name ? `: ${message}` : ''}`;
  }
}

/**
 * The error for an AWS call that failed after the SDK's retries: throttling, a 5xx or the network is AWS's
 * (ServiceError, a rerun may pass); a refusal (denied, not enabled, rejected) is the account's or the inputs' to fix.
 */
export function awsFailure(message: string, ...errors: unknown[]): ConfigurationError | ServiceError {
  const outage = (err: unknown) => ['throttled', 'unknown-outcome'].includes(classifyAwsError(err));
  return errors.length > 0 && errors.every(outage) ? new ServiceError(message) : new ConfigurationError(message);
}
