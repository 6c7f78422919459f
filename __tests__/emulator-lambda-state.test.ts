import {
  AddLayerVersionPermissionCommand,
  DeleteLayerVersionCommand,
  GetLayerVersionCommand,
  GetLayerVersionPolicyCommand,
  LambdaClient,
  ListLayersCommand,
  PublishLayerVersionCommand,
  RemoveLayerVersionPermissionCommand,
  paginateListLayers,
  paginateListLayerVersions,
  type PublishLayerVersionCommandInput,
} from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { control, makeZip, useEnv } from '../__fixtures__/emulator-support.js';

const ZIP = makeZip({ 'python/state_test.py': 'X = 2\n' });
let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator();
  restoreEnv = useEnv(emulator.env);
});
afterAll(async () => {
  restoreEnv();
  await emulator.stop();
});

const lambda = (region = 'us-east-1') => new LambdaClient({ region, maxAttempts: 1 });
const publish = (region: string, input: Partial<PublishLayerVersionCommandInput>) =>
  lambda(region).send(new PublishLayerVersionCommand({ LayerName: 'state', Content: { ZipFile: ZIP }, ...input }));
const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: Error) => err.name,
  );

describe('versions and lists', () => {
  test('numbers count per region and name, from 1, and concurrent publishes never share one', async () => {
    const numbers = await Promise.all(Array.from({ length: 8 }, () => publish('us-east-2', { LayerName: 'burst' })));
    expect(numbers.map((n) => n.Version).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await publish('us-west-1', { LayerName: 'burst' })).Version).toBe(1);
  });

  test('ListLayerVersions pages newest first with opaque markers', async () => {
    for (let i = 0; i < 5; i++) await publish('eu-central-1', { LayerName: 'paged' });
    await lambda('eu-central-1').send(new DeleteLayerVersionCommand({ LayerName: 'paged', VersionNumber: 3 }));
    const pages: number[][] = [];
    const pager = paginateListLayerVersions({ client: lambda('eu-central-1'), pageSize: 2 }, { LayerName: 'paged' });
    for await (const page of pager) pages.push((page.LayerVersions ?? []).map((v) => Number(v.Version)));
    expect(pages).toEqual([
      [5, 4],
      [2, 1],
    ]);
  });

  test('ListLayers pages by name and reports the latest version matching the filters', async () => {
    const region = 'eu-north-1';
    await publish(region, { LayerName: 'b-layer', CompatibleRuntimes: ['python3.12'] });
    await publish(region, { LayerName: 'b-layer', CompatibleRuntimes: ['nodejs22.x'] });
    await publish(region, { LayerName: 'a-layer', CompatibleRuntimes: ['nodejs22.x'] });
    await publish(region, { LayerName: 'c-layer' });
    const names: string[] = [];
    for await (const page of paginateListLayers({ client: lambda(region), pageSize: 1 }, {})) {
      names.push(...(page.Layers ?? []).map((l) => String(l.LayerName)));
    }
    expect(names).toEqual(['a-layer', 'b-layer', 'c-layer']);
    const python = await lambda(region).send(new ListLayersCommand({ CompatibleRuntime: 'python3.12' }));
    expect(python.Layers?.map((l) => [l.LayerName, l.LatestMatchingVersion?.Version])).toEqual([['b-layer', 1]]);
  });

  test('a layer ARN works wherever a layer name does', async () => {
    const published = await publish('ap-southeast-2', { LayerName: 'by-arn' });
    const got = await lambda('ap-southeast-2').send(
      new GetLayerVersionCommand({ LayerName: published.LayerArn, VersionNumber: 1 }),
    );
    expect(got.LayerVersionArn).toBe(published.LayerVersionArn);
  });
});

describe('layer permissions', () => {
  test('add, read, remove; RevisionId guards changes; an empty policy is a 404', async () => {
    const client = lambda('eu-west-2');
    await publish('eu-west-2', { LayerName: 'policy' });
    const target = { LayerName: 'policy', VersionNumber: 1 };
    const added = await client.send(
      new AddLayerVersionPermissionCommand({
        ...target,
        StatementId: 'pub',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
      }),
    );
    const policy = await client.send(new GetLayerVersionPolicyCommand(target));
    expect(policy.RevisionId).toBe(added.RevisionId);
    expect(JSON.parse(String(policy.Policy)).Statement).toEqual([JSON.parse(String(added.Statement))]);
    const remove = (RevisionId?: string, StatementId = 'pub') =>
      client.send(new RemoveLayerVersionPermissionCommand({ ...target, StatementId, RevisionId }));
    expect(await errorName(remove('stale'))).toBe('PreconditionFailedException');
    expect(await errorName(remove(undefined, 'other'))).toBe('ResourceNotFoundException');
    await remove(added.RevisionId);
    expect(await errorName(client.send(new GetLayerVersionPolicyCommand(target)))).toBe('ResourceNotFoundException');
  });

  test('permissions on a version that does not exist are a 404 naming its ARN', async () => {
    const error = await lambda('eu-west-2')
      .send(new GetLayerVersionPolicyCommand({ LayerName: 'policy-none', VersionNumber: 4 }))
      .catch((err: Error) => err);
    expect((error as Error).message).toBe(
      'Layer version arn:aws:lambda:eu-west-2:123456789012:layer:policy-none:4 does not exist.',
    );
  });
});

describe('S3 sources', () => {
  beforeAll(async () => {
    const s3 = new S3Client({ region: 'eu-west-1' });
    await s3.send(
      new CreateBucketCommand({ Bucket: 'stage-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'stage-eu', Key: 'layers/state.zip', Body: ZIP }));
  });

  test('a zip staged in the same region publishes like an inline one', async () => {
    const inline = await publish('eu-west-1', { LayerName: 'from-s3' });
    const staged = await publish('eu-west-1', {
      LayerName: 'from-s3',
      Content: { S3Bucket: 'stage-eu', S3Key: 'layers/state.zip' },
    });
    expect(staged.Content?.CodeSha256).toBe(inline.Content?.CodeSha256);
  });

  test.each([
    [
      'a bucket of another region',
      'us-east-1',
      'stage-eu',
      'layers/state.zip',
      'S3 Error Code: PermanentRedirect. S3 Error Message: The bucket is in this region: eu-west-1.',
    ],
    ['a missing key', 'eu-west-1', 'stage-eu', 'layers/none.zip', 'S3 Error Code: NoSuchKey.'],
    ['a missing bucket', 'eu-west-1', 'stage-none', 'x.zip', 'S3 Error Code: NoSuchBucket.'],
  ])('%s is InvalidParameterValueException', async (_name, region, S3Bucket, S3Key, message) => {
    const error = (await publish(region, { Content: { S3Bucket, S3Key } }).catch((err: Error) => err)) as Error;
    expect(error.name).toBe('InvalidParameterValueException');
    expect(error.message).toContain(message);
  });
});

describe('control routes', () => {
  test('regions not enabled and denied can be set and lifted at runtime', async () => {
    await control(emulator.url, 'POST', 'aws/config', { notEnabled: ['eu-south-1'], denied: ['eu-south-2'] });
    const list = (region: string) => errorName(lambda(region).send(new ListLayersCommand({})));
    expect(await list('eu-south-1')).toBe('UnrecognizedClientException');
    const denied = await lambda('eu-south-2')
      .send(new ListLayersCommand({}))
      .catch((err: Error) => err);
    expect(denied).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect((denied as Error).message).toContain('with an explicit deny in an identity-based policy');
    expect(await list('eu-west-1')).toBe('resolved');
    expect(await control(emulator.url, 'POST', 'aws/config', { notEnabled: [], denied: [] })).toMatchObject({
      notEnabled: [],
      denied: [],
    });
    expect([await list('eu-south-1'), await list('eu-south-2')]).toEqual(['resolved', 'resolved']);
  });

  test('state can be inspected, a counter moved forward, and everything forgotten', async () => {
    await publish('sa-east-1', { LayerName: 'inspected', Description: 'seen' });
    await control(emulator.url, 'POST', 'aws/lambda/next-version', {
      layerName: 'inspected',
      region: 'sa-east-1',
      nextVersion: 10,
    });
    expect((await publish('sa-east-1', { LayerName: 'inspected' })).Version).toBe(10);
    const state = (await control(emulator.url, 'GET', 'aws/state?region=sa-east-1')) as {
      lambda: Record<
        string,
        Record<
          string,
          { layers: Record<string, { nextVersion: number; versions: { version: number; description: string }[] }> }
        >
      >;
    };
    const layer = state.lambda['123456789012']['sa-east-1'].layers.inspected;
    expect(layer.nextVersion).toBe(11);
    expect(layer.versions.map((v) => [v.version, v.description])).toEqual([
      [1, 'seen'],
      [10, ''],
    ]);
    await control(emulator.url, 'DELETE', 'aws/state');
    expect(await control(emulator.url, 'GET', 'aws/state')).toEqual({
      lambda: {},
      functions: {},
      ssm: {},
      s3: {},
      sts: {},
    });
  });
});
