/**
 * A mistake in the workflow's inputs or environment that the user can fix.
 * Reported as one line without a stack; anything else is a bug and keeps its stack.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
