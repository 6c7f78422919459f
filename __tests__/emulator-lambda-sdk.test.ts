import {
  AddLayerVersionPermissionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
  type PublishLayerVersionCommandInput,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { createHash } from 'node:crypto';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { makeZip, rawAws, useEnv } from '../__fixtures__/emulator-support.js';

const ZIP = makeZip({ 'nodejs/node_modules/sdk-test/index.js': 'module.exports = 1;\n' });
let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator();
  // The clients find the emulator through the standard variables, as the action's clients do.
  restoreEnv = useEnv(emulator.env);
});
afterAll(async () => {
  restoreEnv();
  await emulator.stop();
});

function lambda(region = 'us-east-1'): LambdaClient {
  return new LambdaClient({ region, maxAttempts: 1 });
}

function publish(input: Partial<PublishLayerVersionCommandInput>, region = 'us-east-1') {
  return lambda(region).send(new PublishLayerVersionCommand({ LayerName: 'sdk', Content: { ZipFile: ZIP }, ...input }));
}

async function failure(promise: Promise<unknown>): Promise<{ name: string; status?: number; message: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
  throw new Error('expected the call to fail');
}

describe('answers in the shapes AWS uses', () => {
  test('a published version as the raw JSON has it', async () => {
    const published = await publish({ LayerName: 'raw-shape' }, 'eu-west-1');
    expect(published.Content?.CodeSha256).toBe(createHash('sha256').update(ZIP).digest('base64'));
    const get = await rawAws(emulator.url, 'lambda', 'eu-west-1', 'GET', '/2018-10-31/layers/raw-shape/versions/1');
    expect(get.status).toBe(200);
    expect(get.json).toEqual({
      Content: { Location: expect.any(String), CodeSha256: published.Content?.CodeSha256, CodeSize: ZIP.length },
      LayerArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:raw-shape',
      LayerVersionArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:raw-shape:1',
      Description: '',
      CreatedDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/),
      Version: 1,
    });
    const list = await rawAws(emulator.url, 'lambda', 'eu-west-1', 'GET', '/2018-10-31/layers/raw-shape/versions');
    expect(list.json).toEqual({
      LayerVersions: [
        {
          LayerVersionArn: 'arn:aws:lambda:eu-west-1:123456789012:layer:raw-shape:1',
          Version: 1,
          Description: '',
          CreatedDate: get.json?.CreatedDate,
        },
      ],
    });
  });

  test('errors carry x-amzn-errortype and {Type, message}; a 404 spells it Message', async () => {
    const missing = await rawAws(emulator.url, 'lambda', 'eu-west-1', 'GET', '/2018-10-31/layers/none/versions/3');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(missing.json).toEqual({ Type: 'User', Message: 'The resource you requested does not exist.' });
    const bad = await rawAws(emulator.url, 'lambda', 'eu-west-1', 'POST', '/2018-10-31/layers/x/versions', '{}');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(bad.json?.message).toMatch(/^1 validation error detected: Value null at 'content'/);
  });

  test('the SDK maps the modelled errors to their classes', async () => {
    await publish({ LayerName: 'sdk-errors' });
    const add = () =>
      lambda().send(
        new AddLayerVersionPermissionCommand({
          LayerName: 'sdk-errors',
          VersionNumber: 1,
          StatementId: 'one',
          Action: 'lambda:GetLayerVersion',
          Principal: '*',
        }),
      );
    await add();
    expect(await failure(add())).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    expect(await failure(publish({ CompatibleRuntimes: ['nodejs99.x' as never] }))).toMatchObject({
      name: 'ValidationException',
      status: 400,
    });
  });
});

describe('limits', () => {
  test('a request over 69,905,067 bytes is 413 RequestEntityTooLargeException', async () => {
    const big = makeZip({ 'big.bin': Buffer.alloc(52_500_000) });
    expect(await failure(publish({ LayerName: 'too-big', Content: { ZipFile: big } }))).toEqual({
      name: 'RequestEntityTooLargeException',
      status: 413,
      message: 'Request must be smaller than 69905067 bytes for the PublishLayerVersion operation',
    });
  });

  test.each([
    [
      'over 262,144,000 bytes unzipped',
      makeZip({ 'a.bin': 'x' }, 262_144_001),
      'Unzipped size must be smaller than 262144000 bytes',
    ],
    ['exactly 262,144,000 bytes unzipped', makeZip({ 'a.bin': 'x' }, 262_144_000), undefined],
    [
      'not a zip',
      Buffer.from('not a zip at all'),
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    ],
    ['an empty zip', makeZip({}), 'Uploaded file must be a non-empty zip'],
  ])('a zip %s', async (_name, zip, message) => {
    const result = publish({ LayerName: 'unzipped', Content: { ZipFile: zip } });
    if (message === undefined) await expect(result).resolves.toMatchObject({ Content: { CodeSize: zip.length } });
    else expect(await failure(result)).toEqual({ name: 'InvalidParameterValueException', status: 400, message });
  });

  test('the code storage quota per region', async () => {
    await emulator.aws.configure({ storageLimitBytes: ZIP.length * 2 });
    try {
      await publish({ LayerName: 'quota' }, 'eu-west-3');
      await publish({ LayerName: 'quota' }, 'eu-west-3');
      expect(await failure(publish({ LayerName: 'quota' }, 'eu-west-3'))).toMatchObject({
        name: 'CodeStorageExceededException',
      });
    } finally {
      await emulator.aws.configure({ storageLimitBytes: 75 * 1024 ** 3 });
    }
  });
});

describe('names in the path, however a client encodes them', () => {
  const arn = 'arn:aws:lambda:us-west-1:123456789012:layer:encoded';
  test.each([
    ['a plain name', 'encoded', 200],
    ['a name with a percent-encoded letter (%64 for d)', 'enco%64e%64', 200],
    ['an ARN with its colons encoded (SDKs, botocore)', encodeURIComponent(arn), 200],
    ['an ARN with raw colons (curl)', arn, 200],
    ['an encoded slash', 'en%2Fcoded', 400],
  ])('%s', async (_name, segment, status) => {
    await publish({ LayerName: 'encoded' }, 'us-west-1');
    const raw = await rawAws(emulator.url, 'lambda', 'us-west-1', 'GET', `/2018-10-31/layers/${segment}/versions`);
    expect(raw.status).toBe(status);
    if (status === 200) expect((raw.json?.LayerVersions as unknown[]).length).toBeGreaterThan(0);
    else expect(raw.headers.get('x-amzn-errortype')).toBe('ValidationException');
  });
});

describe('validation, worded as AWS words it', () => {
  const permission = { StatementId: 's', Action: 'lambda:GetLayerVersion', Principal: '*' };
  test.each([
    ['a name with a space', { LayerName: 'a b' }, "Value 'a b' at 'layerName' failed to satisfy constraint"],
    ['a 141-character name', { LayerName: 'n'.repeat(141) }, 'Member must have length less than or equal to 140'],
    ['a 257-character description', { Description: 'd'.repeat(257) }, 'less than or equal to 256'],
    ['a 513-character license', { LicenseInfo: 'l'.repeat(513) }, 'less than or equal to 512'],
    ['16 runtimes', { CompatibleRuntimes: Array(16).fill('python3.12') }, 'less than or equal to 15'],
    ['3 architectures', { CompatibleArchitectures: ['x86_64', 'arm64', 'x86_64'] }, 'less than or equal to 2'],
    ['an unknown architecture', { CompatibleArchitectures: ['sparc'] }, 'enum value set: [arm64, x86_64]'],
  ])('publish refuses %s', async (_name, input, message) => {
    const error = await failure(publish(input as Partial<PublishLayerVersionCommandInput>));
    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(message);
  });

  test.each([
    ['a statement id with a space', { StatementId: 'a b' }, 'ValidationException'],
    ['another action', { Action: 'lambda:InvokeFunction' }, 'ValidationException'],
    ['a principal that is not an account', { Principal: 'bob' }, 'ValidationException'],
    ['a malformed organization', { OrganizationId: 'org-1' }, 'ValidationException'],
    [
      'an organization with an account principal',
      { Principal: '111122223333', OrganizationId: 'o-abcdefghij' },
      'InvalidParameterValueException',
    ],
  ])('add-layer-version-permission refuses %s', async (_name, input, name) => {
    await publish({ LayerName: 'validate-permission' });
    const command = new AddLayerVersionPermissionCommand({
      LayerName: 'validate-permission',
      VersionNumber: 1,
      ...permission,
      ...input,
    });
    expect((await failure(lambda().send(command))).name).toBe(name);
  });

  test('legacy runtime ids AWS still accepts for layers are accepted, and are filters', async () => {
    const legacy = ['nasa', 'go1.9', 'python2.7-greengrass', 'nodejs4.3-edge'];
    const published = await publish({ LayerName: 'legacy-runtimes', CompatibleRuntimes: legacy as never[] });
    expect(published.CompatibleRuntimes).toEqual(legacy);
    const list = await lambda().send(
      new ListLayerVersionsCommand({ LayerName: 'legacy-runtimes', CompatibleRuntime: 'nasa' as never }),
    );
    expect(list.LayerVersions?.map((v) => v.Version)).toEqual([published.Version]);
  });

  test.each([0, 51])('list-layer-versions refuses MaxItems %p', async (maxItems) => {
    const command = new ListLayerVersionsCommand({ LayerName: 'any', MaxItems: maxItems });
    expect((await failure(lambda().send(command))).name).toBe('ValidationException');
  });
});
