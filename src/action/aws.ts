/** The action shell's half of the AWS credential setup (src/aws/session.ts): the toolkit's OIDC token and masking. */
import * as core from '@actions/core';
import type { CredentialSettings } from '../aws/credentials.js';
import type { Partition } from '../aws/partitions.js';
import { awsSession, type AwsSession } from '../aws/session.js';

export function actionSession(settings: CredentialSettings, partition: Partition, env: NodeJS.ProcessEnv): AwsSession {
  return awsSession(settings, partition, env, {
    getIdToken: (audience) => core.getIDToken(audience),
    mask: (secret) => core.setSecret(secret),
    info: (message) => core.info(message),
  });
}
