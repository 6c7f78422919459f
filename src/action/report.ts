import { ConfigurationError } from '../errors.js';

export async function runReport(): Promise<void> {
  throw new ConfigurationError("The 'report' command is not available yet.");
}
