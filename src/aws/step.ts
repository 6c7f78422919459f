import { errorMessage } from '../errors.js';
import { describeAwsError } from './errors.js';

/** An AWS call that failed, with the operation's name, so the reason can name it and the permission it needs. */
export class StepError extends Error {
  constructor(
    readonly operation: string,
    readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

/** Runs one AWS operation; a failure is tagged with the operation unless an inner step already tagged it. */
export async function step<T>(operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw err instanceof StepError ? err : new StepError(operation, err);
  }
}

/** A failed step in words for the outcome and the log: the AWS error and the permission it needs, or the message. */
export function failureReason(err: unknown): string {
  if (err instanceof StepError) return describeAwsError(err.cause, err.operation);
  return errorMessage(err);
}
