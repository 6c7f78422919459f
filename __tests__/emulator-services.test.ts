import { DescribeRegionsCommand, EC2Client, type DescribeRegionsCommandInput } from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetBucketLocationCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  GetParametersCommand,
  PutParameterCommand,
  SSMClient,
  paginateGetParametersByPath,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { Readable } from 'node:stream';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { useEnv } from '../__fixtures__/emulator-support.js';

let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator({ aws: { notEnabled: ['me-south-1'] } });
  restoreEnv = useEnv(emulator.env);
});
afterAll(async () => {
  restoreEnv();
  await emulator.stop();
});

const errorName = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: Error) => err.name,
  );

describe('EC2 DescribeRegions', () => {
  const describeRegions = async (region: string, input: DescribeRegionsCommandInput = {}) =>
    (await new EC2Client({ region }).send(new DescribeRegionsCommand(input))).Regions ?? [];

  test('every Lambda region of the partition with AllRegions, with its opt-in status', async () => {
    const all = await describeRegions('us-east-1', { AllRegions: true });
    expect(all).toHaveLength(36);
    const status = Object.fromEntries(all.map((r) => [r.RegionName, r.OptInStatus]));
    expect(status).toMatchObject({
      'us-east-1': 'opt-in-not-required',
      'af-south-1': 'opted-in',
      'me-south-1': 'not-opted-in',
    });
    expect(all.find((r) => r.RegionName === 'eu-west-1')?.Endpoint).toBe('ec2.eu-west-1.amazonaws.com');
  });

  test('only the enabled ones without AllRegions', async () => {
    const enabled = (await describeRegions('eu-west-1')).map((r) => r.RegionName);
    expect(enabled).toHaveLength(35);
    expect(enabled).not.toContain('me-south-1');
  });

  test.each([
    ['cn-north-1', ['cn-north-1', 'cn-northwest-1']],
    ['us-gov-west-1', ['us-gov-east-1', 'us-gov-west-1']],
  ])('the %s partition lists its own regions', async (region, expected) => {
    expect((await describeRegions(region)).map((r) => r.RegionName)).toEqual(expected);
  });

  test('RegionNames and opt-in-status filters', async () => {
    const named = await describeRegions('us-east-1', { RegionNames: ['eu-west-1', 'ap-south-1'] });
    expect(named.map((r) => r.RegionName)).toEqual(['eu-west-1', 'ap-south-1']);
    const filtered = await describeRegions('us-east-1', {
      AllRegions: true,
      Filters: [{ Name: 'opt-in-status', Values: ['not-opted-in'] }],
    });
    expect(filtered.map((r) => r.RegionName)).toEqual(['me-south-1']);
  });
});

describe('SSM parameters', () => {
  const ssm = (region = 'eu-west-1') => new SSMClient({ region, maxAttempts: 1 });

  test('put, overwrite, read: versions count up and an existing name needs Overwrite', async () => {
    const put = (Value: string, Overwrite?: boolean) =>
      ssm().send(new PutParameterCommand({ Name: '/llr/demo/latest', Value, Type: 'String', Overwrite }));
    expect((await put('arn:1')).Version).toBe(1);
    expect(await errorName(put('arn:2'))).toBe('ParameterAlreadyExists');
    expect((await put('arn:2', true)).Version).toBe(2);
    const got = await ssm().send(new GetParameterCommand({ Name: '/llr/demo/latest' }));
    expect(got.Parameter).toMatchObject({
      Name: '/llr/demo/latest',
      Value: 'arn:2',
      Version: 2,
      Type: 'String',
      ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/llr/demo/latest',
    });
    expect(got.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    expect(await errorName(ssm('eu-west-2').send(new GetParameterCommand({ Name: '/llr/demo/latest' })))).toBe(
      'ParameterNotFound',
    );
  });

  test('GetParameters, GetParametersByPath (recursive, paged), DeleteParameter', async () => {
    for (const name of ['/tree/a', '/tree/b', '/tree/deep/c']) {
      await ssm('us-west-2').send(new PutParameterCommand({ Name: name, Value: name, Type: 'String' }));
    }
    const some = await ssm('us-west-2').send(new GetParametersCommand({ Names: ['/tree/a', '/tree/none'] }));
    expect(some.Parameters?.map((p) => p.Name)).toEqual(['/tree/a']);
    expect(some.InvalidParameters).toEqual(['/tree/none']);
    const byPath = async (Recursive: boolean) => {
      const names: string[] = [];
      const pager = paginateGetParametersByPath(
        { client: ssm('us-west-2'), pageSize: 1 },
        { Path: '/tree', Recursive },
      );
      for await (const page of pager) names.push(...(page.Parameters ?? []).map((p) => String(p.Name)));
      return names;
    };
    expect(await byPath(false)).toEqual(['/tree/a', '/tree/b']);
    expect(await byPath(true)).toEqual(['/tree/a', '/tree/b', '/tree/deep/c']);
    await ssm('us-west-2').send(new DeleteParameterCommand({ Name: '/tree/a' }));
    expect(await errorName(ssm('us-west-2').send(new DeleteParameterCommand({ Name: '/tree/a' })))).toBe(
      'ParameterNotFound',
    );
  });

  test("AWS's public parameters list the regions with Lambda", async () => {
    const names: string[] = [];
    const pager = paginateGetParametersByPath(
      { client: ssm() },
      { Path: '/aws/service/global-infrastructure/services/lambda/regions' },
    );
    for await (const page of pager) names.push(...(page.Parameters ?? []).map((p) => String(p.Value)));
    expect(names).toHaveLength(36);
    expect(names).toContain('me-south-1');
  });

  test('a region the account has not enabled refuses the credentials', async () => {
    expect(await errorName(ssm('me-south-1').send(new GetParameterCommand({ Name: '/x' })))).toBe(
      'UnrecognizedClientException',
    );
  });
});

describe('S3, path-style', () => {
  const s3 = (region: string) => new S3Client({ region, maxAttempts: 1 });
  const create = (region: string, Bucket: string, constraint?: string) =>
    s3(region).send(
      new CreateBucketCommand({
        Bucket,
        CreateBucketConfiguration: constraint
          ? { LocationConstraint: constraint as BucketLocationConstraint }
          : undefined,
      }),
    );

  test('a bucket lives in the region of its LocationConstraint', async () => {
    await create('ap-south-1', 'stage-ap-south-1', 'ap-south-1');
    await create('us-east-1', 'stage-us-east-1');
    const location = async (Bucket: string) =>
      (await s3('us-east-1').send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint;
    expect(await location('stage-ap-south-1')).toBe('ap-south-1');
    expect(await location('stage-us-east-1')).toBeUndefined();
    const head = await s3('ap-south-1').send(new HeadBucketCommand({ Bucket: 'stage-ap-south-1' }));
    expect(head.BucketRegion).toBe('ap-south-1');
  });

  // (The SDK itself adds the region as LocationConstraint when none is given outside us-east-1.)
  test.each([
    ['another region than the endpoint', 'eu-west-1', 'elsewhere', 'eu-west-2', 'IllegalLocationConstraintException'],
    ['us-east-1 spelled out', 'us-east-1', 'spelled', 'us-east-1', 'InvalidLocationConstraint'],
    ['an invalid name', 'us-east-1', 'Bad_Name', undefined, 'InvalidBucketName'],
    ['a name this account already owns', 'ap-south-1', 'stage-ap-south-1', 'ap-south-1', 'BucketAlreadyOwnedByYou'],
  ])('CreateBucket refuses %s', async (_name, region, bucket, constraint, code) => {
    expect(await errorName(create(region, bucket, constraint))).toBe(code);
  });

  test('objects: put (buffer and stream), head, get, delete', async () => {
    const client = s3('ap-south-1');
    const Bucket = 'stage-ap-south-1';
    await client.send(new PutObjectCommand({ Bucket, Key: 'layers/a.zip', Body: Buffer.from('zip bytes') }));
    const stream = Readable.from([Buffer.from('streamed '), Buffer.from('bytes')]);
    await client.send(new PutObjectCommand({ Bucket, Key: 'layers/b.zip', Body: stream, ContentLength: 14 }));
    const head = await client.send(new HeadObjectCommand({ Bucket, Key: 'layers/a.zip' }));
    expect(head.ContentLength).toBe(9);
    const get = async (Key: string) =>
      (await (await client.send(new GetObjectCommand({ Bucket, Key }))).Body?.transformToString()) ?? '';
    expect(await get('layers/a.zip')).toBe('zip bytes');
    expect(await get('layers/b.zip')).toBe('streamed bytes');
    await client.send(new DeleteObjectCommand({ Bucket, Key: 'layers/a.zip' }));
    expect(await errorName(get('layers/a.zip'))).toBe('NoSuchKey');
  });

  test("a bucket is reached only through its own region's endpoint", async () => {
    const error = await s3('eu-west-1')
      .send(new GetObjectCommand({ Bucket: 'stage-ap-south-1', Key: 'layers/b.zip' }))
      .catch((err: Error & { $metadata?: { httpStatusCode?: number } }) => err);
    expect(error).toMatchObject({ name: 'PermanentRedirect', $metadata: { httpStatusCode: 301 } });
  });
});
