import { randomBytes } from 'node:crypto';

export const DEFAULT_ACCOUNT = '123456789012';

/** Who a request's access key belongs to. */
export interface Identity {
  account: string;
  /** The caller's ARN as GetCallerIdentity reports it. */
  arn: string;
  userId: string;
}

export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomId(prefix: string, length: number): string {
  const bytes = randomBytes(length);
  let id = prefix;
  for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return id;
}

/**
 * Maps access keys to accounts. Keys the emulator did not issue (the dummy keys of tests) belong to the default
 * account; keys issued by STS belong to the account of the role that was assumed, so cross-account flows are
 * testable with one emulator.
 */
export class Identities {
  private readonly issued = new Map<string, Identity & { expiration: Date }>();

  constructor(readonly defaultAccount: string = DEFAULT_ACCOUNT) {}

  resolve(accessKeyId: string | undefined): Identity {
    const issued = accessKeyId ? this.issued.get(accessKeyId) : undefined;
    if (issued) return { account: issued.account, arn: issued.arn, userId: issued.userId };
    return {
      account: this.defaultAccount,
      arn: `arn:aws:iam::${this.defaultAccount}:user/emulator`,
      userId: 'AIDAEMULATORUSER0000',
    };
  }

  /** Credentials for a session of `roleArn` (already validated as arn:PARTITION:iam::ACCOUNT:role/PATH/NAME). */
  issue(roleArn: string, sessionName: string, durationSeconds: number): IssuedCredentials & { identity: Identity } {
    const [, partition, , , account, resource] = roleArn.split(':');
    const roleName = resource.slice(resource.lastIndexOf('/') + 1);
    const identity: Identity = {
      account,
      arn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${sessionName}`,
      userId: `${randomId('AROA', 17)}:${sessionName}`,
    };
    const credentials: IssuedCredentials = {
      accessKeyId: randomId('ASIA', 16),
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + durationSeconds * 1000),
    };
    this.issued.set(credentials.accessKeyId, { ...identity, expiration: credentials.expiration });
    return { ...credentials, identity };
  }

  dump(): Record<string, Identity & { expiration: string }> {
    return Object.fromEntries(
      [...this.issued].map(([key, value]) => [key, { ...value, expiration: value.expiration.toISOString() }]),
    );
  }

  clear(): void {
    this.issued.clear();
  }
}
