/**
 * How a step can end other than by a bug. Each is reported by main.ts as its one-line message, without a stack;
 * anything else is a bug and keeps its stack.
 * - ConfigurationError: a mistake in the workflow's inputs, permissions or environment that the user can fix.
 * - ServiceError: AWS, GitHub or the artifact service failed (5xx, throttling, the network) after the retries, or
 *   answered with something unusable; nothing in the workflow is wrong, a rerun may pass.
 * - FailOnVerdict: the work was done and reported (outputs, summary, record), and `fail-on` says the step fails.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export class ServiceError extends Error {
  override name = 'ServiceError';
}

export class FailOnVerdict extends Error {
  override name = 'FailOnVerdict';
}

export type StepOutcome = ConfigurationError | ServiceError | FailOnVerdict;

/** Whether `err` is one of the outcomes above (printed as its message) rather than a bug. */
export function isStepOutcome(err: unknown): err is StepOutcome {
  return err instanceof ConfigurationError || err instanceof ServiceError || err instanceof FailOnVerdict;
}

/**
 * A failed HTTP call to GitHub or the artifact service: a refusal (4xx but 408 and 429) is the token's, the
 * repository's or an input's to fix; the rest (5xx, throttling, no answer at all) is the service's.
 */
export function httpFailure(message: string, status: number | undefined): ConfigurationError | ServiceError {
  const refused = status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
  return refused ? new ConfigurationError(message) : new ServiceError(message);
}

/**
 * How a step ends once its outputs and summary are in place, as one line in the order given: fail-on verdicts
 * (strings) and writes that failed (a release, a leg record). A failed write decides the kind (the user's to fix,
 * or a rerun's); verdicts alone are a FailOnVerdict. Undefined: the step passes.
 */
export function stepFailure(parts: (string | StepOutcome | undefined)[]): StepOutcome | undefined {
  const given = parts.filter((p): p is string | StepOutcome => Boolean(p));
  if (given.length === 0) return undefined;
  const message = given.map((p) => (typeof p === 'string' ? p : p.message)).join(' ');
  const problems = given.filter((p): p is StepOutcome => typeof p !== 'string');
  if (problems.length === 0) return new FailOnVerdict(message);
  return problems.some((p) => p instanceof ConfigurationError)
    ? new ConfigurationError(message)
    : new ServiceError(message);
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
