import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  AddLayerVersionPermissionCommand,
  GetLayerVersionCommand,
  LambdaClient,
  ListLayerVersionsCommand,
  PublishLayerVersionCommand,
} from '@aws-sdk/client-lambda';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { ConfiguredRetryStrategy } from '@smithy/util-retry';
import { describe, expect, test } from '@jest/globals';
import { startEmulator } from '../emulators/index.js';
import type { RequestLogEntry } from '../emulators/server.js';
import { makeZip, useEnv } from '../__fixtures__/emulator-support.js';

const REGIONS = ['us-east-1', 'eu-west-1', 'ap-southeast-2', 'sa-east-1'];
const ZIP = makeZip({ 'python/seeded.py': 'S = 1\n' });

/** What one region of a release does, with retries and no backoff (Retry-After is 0 here). */
async function releaseOneRegion(region: string): Promise<string> {
  const config = { region, retryStrategy: new ConfiguredRetryStrategy(8, 0) };
  const lambda = new LambdaClient(config);
  try {
    const published = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'seeded', Content: { ZipFile: ZIP } }),
    );
    const target = { LayerName: 'seeded', VersionNumber: published.Version };
    await lambda.send(
      new AddLayerVersionPermissionCommand({
        ...target,
        StatementId: 'public',
        Action: 'lambda:GetLayerVersion',
        Principal: '*',
      }),
    );
    await lambda.send(new GetLayerVersionCommand(target));
    await lambda.send(new ListLayerVersionsCommand({ LayerName: 'seeded' }));
    // Two parameters at once in one region: their fault sequences must not depend on which arrives first.
    const ssm = new SSMClient(config);
    const arn = String(published.LayerVersionArn);
    await Promise.all(
      ['/seeded/latest', '/seeded/1'].map((Name) =>
        ssm.send(new PutParameterCommand({ Name, Value: arn, Type: 'String', Overwrite: true })),
      ),
    );
    return `published ${published.Version}`;
  } catch (err) {
    return `failed: ${(err as Error).name}`;
  }
}

/**
 * Runs a four-region release against a fresh emulator with the seed, regions in parallel, and returns what
 * the request log says happened to each request key, in order.
 */
async function run(
  seed: string,
): Promise<{ perKey: Record<string, string[]>; outcomes: string[]; log: RequestLogEntry[] }> {
  const emulator = await startEmulator({
    faults: { rate: 0.3, seed, retryAfterSeconds: 0, kinds: ['429', '500', 'reset', 'drop-after-commit'] },
  });
  const restore = useEnv(emulator.env);
  try {
    const credentials = fromTemporaryCredentials({
      params: { RoleArn: 'arn:aws:iam::123456789012:role/release', RoleSessionName: 'seeded' },
      clientConfig: { region: 'us-east-1', retryStrategy: new ConfiguredRetryStrategy(8, 0) },
    });
    const session = await credentials().then(
      () => 'ok',
      (err: Error) => err.name,
    );
    const regions = await new EC2Client({ region: 'us-east-1', retryStrategy: new ConfiguredRetryStrategy(8, 0) })
      .send(new DescribeRegionsCommand({}))
      .then(
        (r) => String(r.Regions?.length),
        (err: Error) => err.name,
      );
    const outcomes = [session, regions, ...(await Promise.all(REGIONS.map(releaseOneRegion)))];
    const log = [...emulator.server.log];
    const perKey: Record<string, string[]> = {};
    for (const entry of log)
      (perKey[`${entry.service} ${entry.key}`] ??= []).push(`${entry.status} ${entry.fault ?? '-'}`);
    return { perKey, outcomes, log };
  } finally {
    restore();
    await emulator.stop();
  }
}

describe('seeded faults are reproducible', () => {
  test('the same seed gives the same faults to the same requests; another seed, other faults', async () => {
    const first = await run('release-42');
    const second = await run('release-42');
    const other = await run('release-43');

    expect(second.perKey).toEqual(first.perKey);
    expect(second.outcomes).toEqual(first.outcomes);
    expect(other.perKey).not.toEqual(first.perKey);

    // The scenario tests something only if faults of every kind happened and were retried through (26 calls without
    // faults).
    const kinds = new Set(first.log.map((e) => e.fault).filter(Boolean));
    expect([...kinds].sort()).toEqual(['429', '500', 'drop-after-commit', 'reset']);
    expect(first.log.length).toBeGreaterThan(26);
  }, 60_000);
});
