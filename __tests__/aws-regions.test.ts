import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { describe, expect, test } from '@jest/globals';
import { mockClient } from 'aws-sdk-client-mock';
import { checkLayerVersionArn, parseLayerVersionArn } from '../src/aws/arn.js';
import { lambdaRegions, partitionOf } from '../src/aws/partitions.js';
import { enabledRegions, resolveRegions } from '../src/aws/regions.js';
import { parseRegionSelection } from '../src/settings/regions.js';

describe('partitions', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['ap-southeast-7', 'aws'],
    ['mx-central-1', 'aws'],
    ['cn-northwest-1', 'aws-cn'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['eusc-de-east-1', 'aws-eusc'],
    ['me-west-1', 'aws'],
    ['sa-west-1', 'aws'],
  ])('%s is in %s', (region, partition) => expect(partitionOf(region)).toBe(partition));

  test.each(['us-east-l', 'useast1', 'eu-west-9', 'aws-global', 'us-iso-east-1', 'US-EAST-1', ''])(
    '%p is not a region we publish to',
    (region) => expect(partitionOf(region)).toBeUndefined(),
  );

  test.each([
    ['us-east-1', 'aws'],
    ['eu-west-9', 'aws'],
    ['cn-north-7', 'aws-cn'],
    ['us-gov-west-3', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
    ['us-isof-south-1', 'aws-iso-f'],
    ['eu-isoe-west-1', 'aws-iso-e'],
    ['eusc-de-east-2', 'aws-eusc'],
  ])("any region name's ARN partition: %s is in %s", (region, partition) =>
    expect(partitionOf(region, { anyRegion: true })).toBe(partition),
  );

  test('`all` is every region with Lambda: 36 in aws (the table and the SDK), 2 in aws-cn and aws-us-gov', () => {
    expect(lambdaRegions('aws')).toHaveLength(36);
    expect(lambdaRegions('aws')).toEqual(expect.arrayContaining(['us-east-1', 'af-south-1', 'mx-central-1']));
    expect(lambdaRegions('aws-cn')).toEqual(['cn-north-1', 'cn-northwest-1']);
    expect(lambdaRegions('aws-us-gov')).toEqual(['us-gov-east-1', 'us-gov-west-1']);
    expect(lambdaRegions('aws-eusc')).toEqual(['eusc-de-east-1']);
    for (const p of ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc'] as const) {
      for (const r of lambdaRegions(p)) expect([r, partitionOf(r)]).toEqual([r, p]);
    }
  });
});

describe('resolveRegions', () => {
  const never = async () => {
    throw new Error('EC2 must not be asked');
  };

  test('named regions keep their order, duplicates and excluded ones are dropped', async () => {
    const s = parseRegionSelection('eu-west-1 us-east-1, eu-west-1 ap-south-1', 'ap-south-1');
    expect(await resolveRegions(s, never)).toEqual(['eu-west-1', 'us-east-1']);
  });

  test('`all` minus excluded, without asking EC2', async () => {
    const s = parseRegionSelection('all', 'af-south-1 ap-east-1');
    const regions = await resolveRegions(s, never);
    expect(regions).toHaveLength(34);
    expect(regions).not.toContain('af-south-1');
  });

  test('`all-enabled` asks EC2 in the partition’s home region and keeps Lambda regions it lists', async () => {
    const asked: string[] = [];
    const s = parseRegionSelection('all-enabled', 'us-west-1');
    const regions = await resolveRegions(s, async (home) => {
      asked.push(home);
      return new Set(['us-east-1', 'us-west-1', 'eu-west-1', 'af-south-1', 'me-west-1', 'not-a-lambda-region-1']);
    });
    expect(asked).toEqual(['us-east-1']);
    // me-west-1 is not in the table, but the SDK knows it; the made-up name is left out.
    expect(regions.sort()).toEqual(['af-south-1', 'eu-west-1', 'me-west-1', 'us-east-1']);
  });

  test('nothing left is an error', async () => {
    const s = parseRegionSelection('all-enabled', '');
    await expect(resolveRegions(s, async () => new Set())).rejects.toThrow(
      "Inputs 'regions' and 'exclude-regions' leave no region to publish to.",
    );
  });

  test('enabledRegions reads DescribeRegions; a refusal names the permission', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    const mock = mockClient(ec2);
    mock
      .on(DescribeRegionsCommand, { AllRegions: false })
      .resolves({ Regions: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-west-1' }] });
    expect([...(await enabledRegions(ec2))]).toEqual(['us-east-1', 'eu-west-1']);
    mock.reset();
    mock
      .on(DescribeRegionsCommand)
      .rejects(
        Object.assign(new Error('denied'), { name: 'UnauthorizedOperation', $metadata: { httpStatusCode: 403 } }),
      );
    await expect(enabledRegions(ec2)).rejects.toThrow(/all-enabled.*missing permission ec2:DescribeRegions/);
  });
});

describe('layer version ARNs', () => {
  test('are parsed, never built', () => {
    expect(parseLayerVersionArn('arn:aws-cn:lambda:cn-north-1:123456789012:layer:my_layer-2:17')).toEqual({
      partition: 'aws-cn',
      region: 'cn-north-1',
      account: '123456789012',
      layerName: 'my_layer-2',
      version: 17,
    });
    expect(parseLayerVersionArn('arn:aws:lambda:us-east-1:123456789012:layer:x')).toBeUndefined();
    expect(parseLayerVersionArn('arn:aws:lambda:us-east-1:123456789012:layer:x:0')).toBeUndefined();
  });

  test.each([
    ['arn:aws:lambda:eu-west-1:123456789012:layer:otel:3', /for otel:3 in us-east-1/],
    ['arn:aws:lambda:us-east-1:123456789012:layer:other:3', /for otel:3 in us-east-1/],
    ['arn:aws:lambda:us-east-1:123456789012:layer:otel:4', /for otel:3 in us-east-1/],
    ['nonsense', /not a layer version ARN/],
  ])('%s is refused for otel:3 in us-east-1', (arn, message) => {
    expect(() => checkLayerVersionArn(arn, { region: 'us-east-1', layerName: 'otel', version: 3 })).toThrow(message);
  });
});
