import { ConfigurationError } from '../errors.js';

export async function runBuild(): Promise<void> {
  throw new ConfigurationError("The 'build' command is not available yet.");
}
