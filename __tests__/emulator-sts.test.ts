import {
  AddLayerVersionPermissionCommand,
  GetLayerVersionByArnCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { fromTemporaryCredentials, fromWebToken } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { makeZip, useEnv } from '../__fixtures__/emulator-support.js';

const CONSUMER = '210987654321';
const ROLE = `arn:aws:iam::${CONSUMER}:role/layer-consumer`;
let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator({ aws: { organizations: { [CONSUMER]: 'o-consumerorg1' } } });
  restoreEnv = useEnv(emulator.env);
});
afterAll(async () => {
  restoreEnv();
  await emulator.stop();
});

/** An unsigned JWT as GitHub's OIDC endpoint shapes them. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.`;
}

const GITHUB_CLAIMS = {
  aud: 'sts.amazonaws.com',
  sub: 'repo:octo-org/octo-layer:ref:refs/tags/v1.0.0',
  iss: 'https://token.actions.githubusercontent.com',
};

function webIdentity(token: string, roleArn = ROLE): AwsCredentialIdentityProvider {
  return fromWebToken({
    roleArn,
    webIdentityToken: token,
    roleSessionName: 'lambda-layer-release',
    clientConfig: { region: 'us-east-1' },
  });
}

async function callerArn(credentials: AwsCredentialIdentityProvider): Promise<string> {
  const identity = await credentials();
  const client = new LambdaClient({ region: 'eu-west-1', credentials: identity });
  const published = await client.send(
    new PublishLayerVersionCommand({ LayerName: 'whose', Content: { ZipFile: makeZip({ 'bin/x': 'x' }) } }),
  );
  return String(published.LayerArn);
}

describe('AssumeRoleWithWebIdentity', () => {
  test("a web identity token's credentials act in the role's account", async () => {
    const credentials = webIdentity(jwt(GITHUB_CLAIMS));
    const identity = await credentials();
    expect(identity.accessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(identity.expiration?.getTime()).toBeGreaterThan(Date.now() + 3000_000);
    expect(await callerArn(async () => identity)).toBe(`arn:aws:lambda:eu-west-1:${CONSUMER}:layer:whose`);
  });

  test('a token from the GitHub OIDC endpoint of the same emulator is accepted', async () => {
    const url = emulator.env.ACTIONS_ID_TOKEN_REQUEST_URL;
    const response = await fetch(`${url}&audience=sts.amazonaws.com`, {
      headers: { authorization: `Bearer ${emulator.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` },
    });
    const { value } = (await response.json()) as { value: string };
    await expect(webIdentity(value)()).resolves.toMatchObject({ accessKeyId: expect.stringMatching(/^ASIA/) });
  });

  test.each([
    ['not a JWT', 'not-a-jwt', 'InvalidIdentityToken'],
    ['a JWT without aud', jwt({ sub: 'repo:x/y:ref:refs/heads/main' }), 'InvalidIdentityToken'],
    ['an expired JWT', jwt({ ...GITHUB_CLAIMS, exp: Math.floor(Date.now() / 1000) - 60 }), 'ExpiredToken'],
  ])('refuses %s', async (_name, token, code) => {
    const error = (await webIdentity(token)().catch((err: Error) => err)) as Error;
    expect(error.name).toMatch(new RegExp(`^${code}`));
  });

  test('refuses a role ARN that is not one', async () => {
    const error = (await webIdentity(jwt(GITHUB_CLAIMS), 'arn:aws:iam::12:user/x')().catch((e: Error) => e)) as Error;
    expect(error.name).toBe('ValidationError');
  });

  test('answers in the query protocol, XML', async () => {
    const body = new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: ROLE,
      RoleSessionName: 's',
      WebIdentityToken: 'x.y.z',
    });
    const response = await fetch(emulator.url, { method: 'POST', body });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^<ErrorResponse .*<Type>Sender<\/Type><Code>InvalidIdentityToken<\/Code>/);
  });
});

describe('AssumeRole and GetCallerIdentity', () => {
  test('temporary credentials from the ambient keys act in the role account', async () => {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: ROLE, RoleSessionName: 'from-ambient' },
      clientConfig: { region: 'us-east-1' },
    });
    expect(await callerArn(credentials)).toBe(`arn:aws:lambda:eu-west-1:${CONSUMER}:layer:whose`);
    const identity = await credentials();
    const body = new URLSearchParams({ Action: 'GetCallerIdentity', Version: '2011-06-15' });
    const authorization = `AWS4-HMAC-SHA256 Credential=${identity.accessKeyId}/20260101/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=0`;
    const text = await (await fetch(emulator.url, { method: 'POST', body, headers: { authorization } })).text();
    expect(text).toContain(`<Arn>arn:aws:sts::${CONSUMER}:assumed-role/layer-consumer/from-ambient</Arn>`);
    expect(text).toContain(`<Account>${CONSUMER}</Account>`);
  });
});

describe('layers shared across accounts', () => {
  let consumer: LambdaClient;
  const owner = new LambdaClient({ region: 'us-west-2' });

  beforeAll(async () => {
    consumer = new LambdaClient({ region: 'us-west-2', credentials: await webIdentity(jwt(GITHUB_CLAIMS))() });
  });

  async function share(name: string, principal?: string, organizationId?: string): Promise<string> {
    const published = await owner.send(
      new PublishLayerVersionCommand({ LayerName: name, Content: { ZipFile: makeZip({ 'bin/y': 'y' }) } }),
    );
    if (principal) {
      await owner.send(
        new AddLayerVersionPermissionCommand({
          LayerName: name,
          VersionNumber: 1,
          StatementId: 'share',
          Action: 'lambda:GetLayerVersion',
          Principal: principal,
          OrganizationId: organizationId,
        }),
      );
    }
    return String(published.LayerVersionArn);
  }

  test.each([
    ['the consumer account', CONSUMER, undefined, 'resolved'],
    ['everyone', '*', undefined, 'resolved'],
    ["the consumer's organization", '*', 'o-consumerorg1', 'resolved'],
    ['another organization', '*', 'o-someoneelse1', 'AccessDeniedException'],
    ['another account', '111122223333', undefined, 'AccessDeniedException'],
    ['nobody', undefined, undefined, 'AccessDeniedException'],
  ])('a version shared with %s', async (name, principal, org, expected) => {
    const arn = await share(`shared-${name.replace(/\W+/g, '-')}`, principal, org);
    const outcome = await consumer.send(new GetLayerVersionByArnCommand({ Arn: arn })).then(
      () => 'resolved',
      (err: Error) => err.name,
    );
    expect(outcome).toBe(expected);
  });

  test("the consumer can neither publish to nor list the owner's layer", async () => {
    const arn = await share('owned', '*');
    const layerArn = arn.slice(0, arn.lastIndexOf(':'));
    const publish = new PublishLayerVersionCommand({ LayerName: layerArn, Content: { ZipFile: makeZip({ a: 'a' }) } });
    const error = (await consumer.send(publish).catch((err: Error) => err)) as Error;
    expect(error.name).toBe('AccessDeniedException');
    expect(error.message).toContain(`arn:aws:sts::${CONSUMER}:assumed-role/layer-consumer/`);
    const list = await consumer.send(new ListLayerVersionsCommand({ LayerName: layerArn })).catch((err: Error) => err);
    expect((list as Error).name).toBe('AccessDeniedException');
    const own = await owner.send(new ListLayerVersionsCommand({ LayerName: layerArn }));
    expect(own.LayerVersions?.map((v) => v.LayerVersionArn)).toEqual([arn]);
  });
});
