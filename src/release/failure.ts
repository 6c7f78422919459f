/** What a failed release read or write means for the step: one line, and whose it is to fix (src/errors.ts). */
import {
  ConfigurationError,
  errorMessage,
  httpFailure,
  isStepOutcome,
  ServiceError,
  type StepOutcome,
} from '../errors.js';

/** The HTTP status of an Octokit error, if it carries one. */
export function status(err: unknown): number | undefined {
  return typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : undefined;
}

/**
 * Why a release could not be written, as one line, for the errors a user can act on: a ConfigurationError (no such
 * tag, notes too long, a record that does not hold up) or an HTTP answer from GitHub. Undefined for anything else,
 * which is a bug and keeps its stack.
 */
export function describeReleaseError(err: unknown): string | undefined {
  const status = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  if (!isStepOutcome(err) && typeof status !== 'number') return undefined;
  // Octokit appends " - <documentation url>" to GitHub's message.
  const text = errorMessage(err).split(' - https://')[0].replace(/\s+/g, ' ').trim();
  if (status === 401 || status === 403) {
    return `${text} (HTTP ${status}): 'github-token' needs 'contents: write' on the repository`;
  }
  return typeof status === 'number' ? `${text} (HTTP ${status})` : text;
}

/**
 * A failed release read or write as the step's outcome, its message `prefix` + describeReleaseError's line: a
 * refusal (a token without contents: write, a tag without a release) is the user's, a 5xx or an outage GitHub's.
 * Undefined for an unexpected error (a bug: it keeps its stack).
 */
export function releaseFailure(err: unknown, prefix: string): StepOutcome | undefined {
  const described = describeReleaseError(err);
  if (described === undefined) return undefined;
  const message = `${prefix}${described}`;
  if (err instanceof ServiceError) return new ServiceError(message);
  if (err instanceof ConfigurationError) return new ConfigurationError(message);
  return httpFailure(message, status(err));
}
