/** Credentials through the real credential providers against the emulator's STS and OIDC endpoint. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { checkCredentials, createCredentialProvider, credentialSource } from '../src/aws/credentials.js';
import { ConfigurationError } from '../src/errors.js';

let emu: RunningEmulator;
const saved = { ...process.env };
const role = 'arn:aws:iam::210987654321:role/publisher';
const settings = { roleSessionName: 'lambda-layer-release', audience: 'sts.amazonaws.com' };

async function oidcToken(audience: string): Promise<string> {
  const url = `${emu.env.ACTIONS_ID_TOKEN_REQUEST_URL}&audience=${encodeURIComponent(audience)}`;
  const answer = await fetch(url, { headers: { authorization: `Bearer ${emu.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN}` } });
  return ((await answer.json()) as { value: string }).value;
}

beforeAll(async () => {
  emu = await startEmulator();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_STS: emu.env.AWS_ENDPOINT_URL_STS,
    AWS_ACCESS_KEY_ID: 'AKIAAMBIENT000000000',
    AWS_SECRET_ACCESS_KEY: 'ambient-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
    AWS_CONFIG_FILE: '/nonexistent/config',
  });
});

afterAll(async () => {
  process.env = saved;
  await emu.stop();
});

const stsCalls = () => emu.server.requests({ service: 'sts' }).length;

describe('createCredentialProvider', () => {
  test('the default chain: the ambient keys, asked once for many callers', async () => {
    const seen: string[] = [];
    const provider = createCredentialProvider(settings, {
      stsRegion: 'us-east-1',
      onCredentials: (c) => seen.push(c.accessKeyId),
    });
    const all = await Promise.all(Array.from({ length: 16 }, () => provider()));
    expect(new Set(all.map((c) => c.accessKeyId))).toEqual(new Set(['AKIAAMBIENT000000000']));
    expect(seen).toEqual(['AKIAAMBIENT000000000']);
    expect(credentialSource(settings, {})).toBe('the default credential chain');
  });

  test('role-to-assume with OIDC: one AssumeRoleWithWebIdentity for 16 regions, with the audience asked for', async () => {
    const before = stsCalls();
    const audiences: string[] = [];
    const masked: string[] = [];
    const deps = {
      stsRegion: 'us-east-1',
      getIdToken: (audience: string) => {
        audiences.push(audience);
        return oidcToken(audience);
      },
      onCredentials: (c: { secretAccessKey: string }) => masked.push(c.secretAccessKey),
    };
    const provider = createCredentialProvider({ ...settings, roleToAssume: role }, deps);
    const all = await Promise.all(Array.from({ length: 16 }, () => provider()));
    expect(all[0].accessKeyId).not.toBe('AKIAAMBIENT000000000');
    expect(all[0].sessionToken).toBeTruthy();
    expect(new Set(all.map((c) => c.accessKeyId)).size).toBe(1);
    expect(stsCalls() - before).toBe(1);
    expect(audiences).toEqual(['sts.amazonaws.com']);
    expect(masked).toEqual([all[0].secretAccessKey]);
    expect(credentialSource({ ...settings, roleToAssume: role }, deps)).toBe(`role ${role} through GitHub OIDC`);
  });

  test('role-to-assume without OIDC: assumed from the ambient credentials, refreshed near expiry', async () => {
    const before = stsCalls();
    let now = Date.now();
    const provider = createCredentialProvider(
      { ...settings, roleToAssume: role },
      { stsRegion: 'us-east-1', now: () => now },
    );
    const first = await provider();
    expect(first.accessKeyId).not.toBe('AKIAAMBIENT000000000');
    await provider();
    expect(stsCalls() - before).toBe(1);
    now += 58 * 60 * 1000; // within five minutes of the hour's expiry
    const second = await provider();
    expect(stsCalls() - before).toBe(2);
    expect(second.accessKeyId).not.toBe(first.accessKeyId);
  });

  test('no credentials anywhere is one clear ConfigurationError', async () => {
    const keys = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    try {
      const provider = createCredentialProvider(settings, { stsRegion: 'us-east-1' });
      const error = await checkCredentials(provider, settings, {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toMatch(
        /^Could not get AWS credentials from the default credential chain: .*; set 'role-to-assume' or run aws-actions\/configure-aws-credentials before this step\.$/,
      );
      expect((error as Error).message).not.toContain('\n');
    } finally {
      process.env.AWS_ACCESS_KEY_ID = keys.id;
      process.env.AWS_SECRET_ACCESS_KEY = keys.secret;
    }
  });

  test('a role STS refuses is one clear ConfigurationError naming the role', async () => {
    const provider = createCredentialProvider(
      { ...settings, roleToAssume: role },
      { stsRegion: 'us-east-1', getIdToken: async () => 'not-a-jwt' },
    );
    const error = await checkCredentials(
      provider,
      { ...settings, roleToAssume: role },
      { getIdToken: async () => '' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toMatch(
      /^Could not get AWS credentials from role .* through GitHub OIDC: .*web identity token/,
    );
  });
});
