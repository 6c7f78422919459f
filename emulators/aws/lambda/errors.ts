import { randomUUID } from 'node:crypto';
import { json, type EmuResponse } from '../../http.js';

/** Errors whose model shape spells the member "Message" (the others, and unmodelled ones, say "message"). */
const CAPITAL_MESSAGE = new Set(['ResourceNotFoundException', 'ServiceException']);

/**
 * An error Lambda answers with: the code travels in the x-amzn-errortype header, the body is {Type, message}
 * with the member spelt as the error's shape in the model spells it.
 */
export class LambdaError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type: 'User' | 'Service' | undefined = 'User',
    readonly extra: Record<string, string> = {},
    readonly headers: Record<string, string | number> = {},
  ) {
    super(message);
  }

  toResponse(): EmuResponse {
    const messageKey = CAPITAL_MESSAGE.has(this.code) ? 'Message' : 'message';
    const body: Record<string, string> = { ...(this.type ? { Type: this.type } : {}), [messageKey]: this.message };
    return json(
      this.status,
      { ...body, ...this.extra },
      lambdaHeaders({ 'x-amzn-errortype': this.code, ...this.headers }),
    );
  }
}

export function lambdaHeaders(headers: Record<string, string | number> = {}): Record<string, string | number> {
  return { 'x-amzn-requestid': randomUUID(), ...headers };
}

/** AWS's constraint failures: "N validation error(s) detected: a; b". Not a modelled error in the SDK. */
export function validationError(failures: string[]): LambdaError {
  const count = `${failures.length} validation error${failures.length > 1 ? 's' : ''} detected`;
  return new LambdaError(400, 'ValidationException', `${count}: ${failures.join('; ')}`, undefined);
}

export function invalidParameter(message: string): LambdaError {
  return new LambdaError(400, 'InvalidParameterValueException', message);
}

export function notFound(message = 'The resource you requested does not exist.'): LambdaError {
  return new LambdaError(404, 'ResourceNotFoundException', message);
}

export function throttled(retryAfterSeconds: number): LambdaError {
  return new LambdaError(
    429,
    'TooManyRequestsException',
    'Rate exceeded',
    'User',
    { Reason: 'CallerRateLimitExceeded' },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function serviceError(): LambdaError {
  return new LambdaError(500, 'ServiceException', 'An internal error occurred. Please retry.', 'Service');
}
