/**
 * Faults as the Python clients meet them: boto3 in its legacy and standard retry modes and every AWS CLI installed
 * retry each service's throttling answer (`--faults 429`), a 500 and a reset connection, and succeed. Which requests
 * are hit is computed from the seeded fault plan, so each call below meets its fault exactly once, then is served.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { execFile } from 'node:child_process';
import { FaultPlan, type FaultKind, type FaultSettings } from '../emulators/faults.js';
import type { ServiceName } from '../emulators/http.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { pythonWith, runPython } from '../__fixtures__/emulator-python.js';
import { DUMMY_ENV, awsClis } from '../__fixtures__/emulator-support.js';

const SETTINGS: FaultSettings = { rate: 0.5, kinds: ['429'], seed: 'retries', retryAfterSeconds: 1 };
const SERVER_FAULTS: FaultSettings = { ...SETTINGS, kinds: ['500', 'reset'] };
const python = pythonWith('boto3');
let emulator: RunningEmulator;

/** The first candidate whose fault key meets `kind` on its first request and is served on its second. */
function throttledOnce<T>(
  service: ServiceName,
  key: (candidate: number) => string,
  make: (candidate: number) => T,
  kind: FaultKind = '429',
  settings = SETTINGS,
): T {
  for (let i = 0; i < 500; i++) {
    const plan = new FaultPlan(settings);
    if (plan.decide(service, key(i)) === kind && plan.decide(service, key(i)) === undefined) return make(i);
  }
  throw new Error(`no candidate for ${service} ${kind}`);
}

/** Layer names whose ListLayerVersions meets a 500, or a reset, once under SERVER_FAULTS. */
const SERVER_CALLS = Object.fromEntries(
  (['500', 'reset'] as const).map((kind) => [
    kind,
    throttledOnce(
      'lambda',
      (i) => `us-east-1 GET /2018-10-31/layers/${kind}-${i}/versions`,
      (i) => `${kind}-${i}`,
      kind,
      SERVER_FAULTS,
    ),
  ]),
);

const REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-central-1'];
const CALLS = {
  lambda: throttledOnce(
    'lambda',
    (i) => `us-east-1 GET /2018-10-31/layers/retry-${i}/versions`,
    (i) => `retry-${i}`,
  ),
  sts: throttledOnce(
    'sts',
    (i) => `us-east-1 AssumeRole arn:aws:iam::210987654321:role/r s-${i}`,
    (i) => `s-${i}`,
  ),
  ec2: throttledOnce(
    'ec2',
    (i) => `${REGIONS[i % REGIONS.length]} DescribeRegions`,
    (i) => REGIONS[i % REGIONS.length],
  ),
  ssm: throttledOnce(
    'ssm',
    (i) => `us-east-1 GetParameter /retry/${i}`,
    (i) => `/retry/${i}`,
  ),
  s3: throttledOnce(
    's3',
    (i) => `us-east-1 GET /retry-bucket/k${i}`,
    (i) => `k${i}`,
  ),
};

const SCRIPT = String.raw`
import json, os, boto3
from botocore.config import Config
calls = json.loads(os.environ['LLR_CALLS'])
cfg = Config(s3={'addressing_style': 'path'})
client = lambda service, region='us-east-1': boto3.client(
    service, region_name=region, config=cfg, endpoint_url=os.environ['AWS_ENDPOINT_URL'])
runs = {
    'lambda': lambda: client('lambda').list_layer_versions(LayerName=calls['lambda']),
    'sts': lambda: client('sts').assume_role(RoleArn='arn:aws:iam::210987654321:role/r', RoleSessionName=calls['sts']),
    'ec2': lambda: client('ec2', calls['ec2']).describe_regions(),
    # The PutParameter before it may be throttled too (another fault key); boto3 retries it as well.
    'ssm': lambda: client('ssm').put_parameter(Name=calls['ssm'], Value='v', Type='String', Overwrite=True) and
           client('ssm').get_parameter(Name=calls['ssm']),
    's3': lambda: client('s3').get_object(Bucket='retry-bucket', Key=calls['s3']),
}
print(json.dumps({name: run()['ResponseMetadata']['RetryAttempts'] for name, run in runs.items()}))
`;

function statuses(service: ServiceName): (number | string)[] {
  return emulator.server.requests({ service }).map((r) => r.status);
}

beforeAll(async () => {
  emulator = await startEmulator();
  const bucket = emulator.aws.s3.create('retry-bucket', 'us-east-1', '123456789012');
  emulator.aws.s3.put(bucket, CALLS.s3, Buffer.from('x'), { contentType: 'text/plain' });
});
afterAll(async () => emulator?.stop());

function throttle(services?: ServiceName[]): void {
  emulator.server.faultPlan.reset({ ...SETTINGS, services });
  emulator.server.log.length = 0;
}

describe.each(['legacy', 'standard'])('boto3, %s retry mode', (mode) => {
  if (!python) {
    test.skip('boto3 is not installed for any python3 here', () => undefined);
    return;
  }
  test('retries each service’s throttling answer once and succeeds', async () => {
    throttle();
    const attempts = await runPython(python, SCRIPT, {
      ...emulator.env,
      AWS_RETRY_MODE: mode,
      LLR_CALLS: JSON.stringify(CALLS),
    });
    expect(attempts).toEqual({ lambda: 1, sts: 1, ec2: 1, ssm: 1, s3: 1 });
    expect(statuses('lambda')).toEqual([429, 200]);
    expect(statuses('ec2')).toEqual([503, 200]);
    expect(statuses('s3')).toEqual([503, 200]);
  }, 60_000);

  test('retries a 500 and a reset connection once and succeeds', async () => {
    emulator.server.faultPlan.reset(SERVER_FAULTS);
    emulator.server.log.length = 0;
    const script = String.raw`
import json, os, boto3
names = json.loads(os.environ['LLR_NAMES'])
lam = boto3.client('lambda', region_name='us-east-1', endpoint_url=os.environ['AWS_ENDPOINT_URL'])
print(json.dumps({k: lam.list_layer_versions(LayerName=n)['ResponseMetadata']['RetryAttempts'] for k, n in names.items()}))
`;
    const attempts = await runPython(python, script, {
      ...emulator.env,
      AWS_RETRY_MODE: mode,
      LLR_NAMES: JSON.stringify(SERVER_CALLS),
    });
    expect(attempts).toEqual({ '500': 1, reset: 1 });
    expect(statuses('lambda')).toEqual([500, 200, 'reset', 200]);
  }, 60_000);
});

const CLIS = awsClis();
if (CLIS.length === 0) test.skip('skipped: the AWS CLI (`aws`) is not installed', () => undefined);

describe.each(CLIS)('AWS CLI $major', ({ path: binary }) => {
  test.each([
    ['lambda', ['lambda', 'list-layer-versions', '--layer-name', CALLS.lambda, '--region', 'us-east-1'], [429, 200]],
    ['ec2', ['ec2', 'describe-regions', '--region', CALLS.ec2], [503, 200]],
  ] as const)(
    '%s: retried in the CLI’s own mode, then served',
    async (service, args, expected) => {
      throttle([service]);
      const env = { PATH: process.env.PATH ?? '', HOME: '/tmp', AWS_CONFIG_FILE: '/dev/null', ...DUMMY_ENV };
      const stdout = await new Promise<string>((resolve, reject) =>
        execFile(
          binary,
          ['--endpoint-url', emulator.url, '--output', 'json', ...args],
          { env, timeout: 60_000 },
          (err, out, stderr) => (err ? reject(new Error(stderr)) : resolve(out)),
        ),
      );
      expect(JSON.parse(stdout)).toBeInstanceOf(Object);
      expect(statuses(service)).toEqual(expected);
    },
    60_000,
  );
});
