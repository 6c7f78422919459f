/**
 * The emulator's partitions against botocore's data/partitions.json (what the CLI and boto3 resolve endpoints and
 * ARNs with), and the ARNs and endpoints the services hand out in each partition.
 */
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetLayerVersionByArnCommand, LambdaClient, PublishLayerVersionCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AHEAD_OF_BOTOCORE, PARTITIONS } from '../emulators/aws/regions.js';
import { startEmulator, type RunningEmulator } from '../emulators/index.js';
import { botocoreData, newerVersion } from '../__fixtures__/emulator-python.js';
import { makeZip, useEnv } from '../__fixtures__/emulator-support.js';

interface BotocorePartitions {
  partitions: { id: string; regionRegex: string; outputs: { dnsSuffix: string }; regions: Record<string, unknown> }[];
}
const found = botocoreData<BotocorePartitions>('partitions');
/** The botocore the table in emulators/aws/regions.ts was last compared with; older ones lack newer regions. */
const TABLE_FROM = '1.43.11';

describe('partitions as botocore knows them', () => {
  if (!found || newerVersion(TABLE_FROM, found.version)) {
    const why = found ? `botocore ${found.version} is older than ${TABLE_FROM}` : 'botocore is not installed';
    test.skip(`skipped: ${why}`, () => undefined);
    return;
  }
  // A newer botocore may know a newer partition; every partition it knows must match ours.
  test.each(found.data.partitions.map((p) => [p.id, p] as const))('%s', (id, theirs) => {
    const ours = PARTITIONS.find((p) => p.id === id);
    expect(ours && { regex: ours.regionRegex.source, dnsSuffix: ours.dnsSuffix }).toEqual({
      regex: theirs.regionRegex,
      dnsSuffix: theirs.outputs.dnsSuffix,
    });
    expect(ours?.regions.filter((r) => !(r in theirs.regions) && !AHEAD_OF_BOTOCORE.includes(r))).toEqual([]);
  });
});

describe('ARNs and endpoints per partition', () => {
  let emulator: RunningEmulator;
  let restoreEnv: () => void;
  beforeAll(async () => {
    emulator = await startEmulator();
    restoreEnv = useEnv(emulator.env);
  });
  afterAll(async () => {
    restoreEnv?.();
    await emulator?.stop();
  });

  test.each([
    ['eu-west-1', 'aws', 'amazonaws.com'],
    ['cn-northwest-1', 'aws-cn', 'amazonaws.com.cn'],
    ['us-gov-east-1', 'aws-us-gov', 'amazonaws.com'],
    ['eusc-de-east-1', 'aws-eusc', 'amazonaws.eu'],
    ['us-isob-east-1', 'aws-iso-b', 'sc2s.sgov.gov'],
  ])('%s: arn:%s, ec2.%s.%s', async (region, partition, suffix) => {
    const lambda = new LambdaClient({ region, maxAttempts: 1 });
    const published = await lambda.send(
      new PublishLayerVersionCommand({ LayerName: 'partitioned', Content: { ZipFile: makeZip({ 'bin/p': 'p' }) } }),
    );
    expect(published.LayerVersionArn).toBe(`arn:${partition}:lambda:${region}:123456789012:layer:partitioned:1`);
    // The same ARN under another partition names no layer.
    const other = String(published.LayerVersionArn).replace(`arn:${partition}:`, 'arn:aws-other:');
    await expect(lambda.send(new GetLayerVersionByArnCommand({ Arn: other }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
    const regions = await new EC2Client({ region, maxAttempts: 1 }).send(new DescribeRegionsCommand({}));
    expect(regions.Regions?.find((r) => r.RegionName === region)?.Endpoint).toBe(`ec2.${region}.${suffix}`);
  });
});
