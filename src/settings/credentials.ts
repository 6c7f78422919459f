/**
 * `role-to-assume`, `role-session-name` and `audience`, read the same way by every command that calls AWS (publish,
 * resolve, rollout): a role ARN and a session name STS would refuse are refused here, before any call.
 */
import type { CredentialSettings } from '../aws/credentials.js';
import { ConfigurationError } from '../errors.js';
import type { InputReader } from './inputs.js';

export type CredentialInput = 'role-to-assume' | 'role-session-name' | 'audience';

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;

export function parseCredentials(input: InputReader<CredentialInput>): CredentialSettings {
  const roleToAssume = input.text('role-to-assume');
  if (roleToAssume && !ROLE_ARN.test(roleToAssume)) {
    throw new ConfigurationError(
      `Input 'role-to-assume' must be an IAM role ARN such as arn:aws:iam::123456789012:role/publisher, got '${roleToAssume}'.`,
    );
  }
  const roleSessionName = input.text('role-session-name');
  if (!SESSION_NAME.test(roleSessionName)) {
    throw new ConfigurationError(
      `Input 'role-session-name' must be 2 to 64 letters, digits or + = , . @ _ -, got '${roleSessionName}'.`,
    );
  }
  return {
    ...(roleToAssume ? { roleToAssume } : {}),
    roleSessionName,
    audience: input.text('audience'),
  };
}

/** A role lives in one partition and STS there only hands out its credentials: `arn:aws:` cannot publish to cn-*. */
export function checkRolePartition(role: string | undefined, partition: string): void {
  const rolePartition = role?.split(':')[1];
  if (rolePartition && rolePartition !== partition) {
    throw new ConfigurationError(
      `Input 'role-to-assume' is a role of partition ${rolePartition}, but the regions are in ${partition}; use a role of that partition (arn:${partition}:iam::...).`,
    );
  }
}
