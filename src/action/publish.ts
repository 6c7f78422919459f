import { ConfigurationError } from '../errors.js';

export async function runPublish(): Promise<void> {
  throw new ConfigurationError("The 'publish' command is not available yet.");
}
