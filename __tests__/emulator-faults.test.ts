import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { LambdaClient, ListLayerVersionsCommand, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { FaultPlan, type FaultKind, type FaultSettings } from '../emulators/faults.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import type { ServiceName } from '../emulators/http.js';
import { control, makeZip, rawAws, useEnv } from '../__fixtures__/emulator-support.js';

let emulator: RunningEmulator;
let restoreEnv: () => void;

beforeAll(async () => {
  emulator = await startEmulator();
  restoreEnv = useEnv(emulator.env);
});
afterEach(async () => {
  await control(emulator.url, 'POST', 'config', { latencyMs: 0, faults: { rate: 0 } });
});
afterAll(async () => {
  restoreEnv();
  await emulator.stop();
});

function faults(settings: Partial<FaultSettings>): Promise<unknown> {
  return control(emulator.url, 'POST', 'config', {
    faults: { retryAfterSeconds: 7, services: undefined, ...settings },
  });
}

const once = { region: 'eu-west-1', maxAttempts: 1 };
/** One call per service, through the real client, without retries. */
const CALLS: Record<string, () => Promise<unknown>> = {
  lambda: () => new LambdaClient(once).send(new ListLayerVersionsCommand({ LayerName: 'f' })),
  sts: () =>
    fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam::210987654321:role/r', RoleSessionName: 'faults' },
      clientConfig: once,
    })(),
  ec2: () => new EC2Client(once).send(new DescribeRegionsCommand({})),
  ssm: () =>
    new SSMClient(once).send(
      new GetParameterCommand({ Name: '/aws/service/global-infrastructure/services/lambda/regions/eu-west-1' }),
    ),
  s3: () => new S3Client(once).send(new GetObjectCommand({ Bucket: 'any-bucket', Key: 'k' })),
};

async function failure(service: string): Promise<Record<string, unknown>> {
  const error = await CALLS[service]().then(
    () => undefined,
    (err: Error & Record<string, unknown>) => err,
  );
  if (!error) throw new Error(`${service} did not fail`);
  const status = (error.$metadata as { httpStatusCode?: number } | undefined)?.httpStatusCode;
  return { name: error.name, status, retryAfterSeconds: error.retryAfterSeconds, Reason: error.Reason };
}

describe('faults in each service’s own error shape', () => {
  test.each([
    [
      'lambda',
      '429',
      { name: 'TooManyRequestsException', status: 429, retryAfterSeconds: '7', Reason: 'CallerRateLimitExceeded' },
    ],
    ['lambda', '500', { name: 'ServiceException', status: 500 }],
    ['sts', '429', { name: 'Throttling', status: 400 }],
    ['sts', '500', { name: 'InternalFailure', status: 500 }],
    ['ec2', '429', { name: 'RequestLimitExceeded', status: 503 }],
    ['ec2', '500', { name: 'InternalError', status: 500 }],
    ['ssm', '429', { name: 'ThrottlingException', status: 400 }],
    ['ssm', '500', { name: 'InternalServerError', status: 500 }],
    ['s3', '429', { name: 'SlowDown', status: 503 }],
    ['s3', '500', { name: 'InternalError', status: 500 }],
  ] as [ServiceName, FaultKind, Record<string, unknown>][])('%s %s', async (service, kind, expected) => {
    await faults({ rate: 1, kinds: [kind], services: [service] });
    expect(await failure(service)).toMatchObject(expected);
  });

  test.each([
    ['lambda', 'GET', '/2018-10-31/layers', ''],
    ['ssm', 'POST', '/', '{}'],
    ['s3', 'GET', '/bucket/key', ''],
  ])('a throttled %s answer carries Retry-After', async (service, method, path, body) => {
    await faults({ rate: 1, kinds: ['429'], services: [service as ServiceName] });
    const raw = await rawAws(emulator.url, service, 'us-east-1', method, path, body || undefined);
    expect(raw.headers.get('retry-after')).toBe('7');
  });
});

describe('fault kinds and knobs', () => {
  test('--fault-services narrows the faults to the services named', async () => {
    await faults({ rate: 1, kinds: ['500'], services: ['ssm'] });
    expect((await failure('ssm')).status).toBe(500);
    await expect(CALLS.lambda()).resolves.toBeDefined();
  });

  test('drop-after-commit: the change is made, the client never hears back', async () => {
    await faults({ rate: 1, kinds: ['drop-after-commit'], services: ['lambda'] });
    const client = new LambdaClient({ region: 'ap-northeast-2', maxAttempts: 1 });
    const zip = makeZip({ 'bin/drop': 'x' });
    await expect(
      client.send(new PublishLayerVersionCommand({ LayerName: 'dropped', Content: { ZipFile: zip } })),
    ).rejects.toThrow();
    await faults({ rate: 0 });
    const list = await client.send(new ListLayerVersionsCommand({ LayerName: 'dropped' }));
    expect(list.LayerVersions?.map((v) => v.Version)).toEqual([1]);
    expect(emulator.server.requests({ service: 'lambda', region: 'ap-northeast-2', method: 'POST' })).toMatchObject([
      { status: 'dropped', fault: 'drop-after-commit' },
    ]);
  });

  test('reset: the connection closes before the request is handled', async () => {
    await faults({ rate: 1, kinds: ['reset'], services: ['ec2'] });
    await expect(CALLS.ec2()).rejects.toThrow();
    expect(emulator.server.requests({ service: 'ec2' }).at(-1)).toMatchObject({ status: 'reset', fault: 'reset' });
  });

  test('latency delays every answer', async () => {
    await control(emulator.url, 'POST', 'config', { latencyMs: 200 });
    const started = performance.now();
    await CALLS.lambda();
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('FaultPlan', () => {
  const settings: FaultSettings = { rate: 0.5, kinds: ['429', '500', 'reset'], seed: 'plan', retryAfterSeconds: 1 };
  const draws = (plan: FaultPlan, key: string, n: number) =>
    Array.from({ length: n }, () => plan.decide('lambda', key));

  test('a key gets the same sequence whatever other keys do in between', () => {
    const alone = draws(new FaultPlan(settings), 'eu-west-1 GET /a', 40);
    const interleaved = new FaultPlan(settings);
    const mixed: (FaultKind | undefined)[] = [];
    for (let i = 0; i < 40; i++) {
      draws(interleaved, `us-east-1 GET /${i % 3}`, i % 4);
      mixed.push(interleaved.decide('lambda', 'eu-west-1 GET /a'));
    }
    expect(mixed).toEqual(alone);
    expect(new Set(alone)).toEqual(new Set([undefined, '429', '500', 'reset']));
  });

  test('another seed, another sequence; rate 0 and other services, none', () => {
    const a = draws(new FaultPlan(settings), 'k', 40);
    expect(draws(new FaultPlan({ ...settings, seed: 'other' }), 'k', 40)).not.toEqual(a);
    expect(draws(new FaultPlan({ ...settings, rate: 0 }), 'k', 40).filter(Boolean)).toEqual([]);
    const narrowed = new FaultPlan({ ...settings, rate: 1, services: ['ssm'] });
    expect(draws(narrowed, 'k', 10).filter(Boolean)).toEqual([]);
  });
});
