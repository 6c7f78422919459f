import type { EmulatorComponent } from '../component.js';

export interface AwsOptions {
  /** Regions that answer 403 UnrecognizedClientException, as an opt-in region the account has not enabled. */
  notEnabled?: string[];
}

// Placeholder until the Lambda/STS/EC2/SSM/S3 emulator lands.
export function createAwsComponent(_options: AwsOptions = {}): EmulatorComponent {
  return { services: [], env: () => ({}) };
}
