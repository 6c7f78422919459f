import { ConfigurationError } from '../errors.js';

export async function runResolve(): Promise<void> {
  throw new ConfigurationError("The 'resolve' command is not available yet.");
}
