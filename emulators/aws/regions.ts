/**
 * Regions with Lambda (botocore, Aug 2026) and their partitions. DescribeRegions and the SSM global-infrastructure
 * parameters answer from these lists; any other region name is still served, as the emulator cannot fail DNS.
 */
export const DEFAULT_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

/** Regions an account must enable before use ("opt-in"). */
export const OPT_IN_REGIONS = [
  'af-south-1',
  'ap-east-1',
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-3',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-1',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'me-south-1',
  'mx-central-1',
] as const;

export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;
export const GOVCLOUD_REGIONS = ['us-gov-east-1', 'us-gov-west-1'] as const;

export type Partition = 'aws' | 'aws-cn' | 'aws-us-gov';

export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** Every region with Lambda in the partition the given region belongs to. */
export function regionsOfPartition(region: string): string[] {
  switch (partitionOf(region)) {
    case 'aws-cn':
      return [...CHINA_REGIONS];
    case 'aws-us-gov':
      return [...GOVCLOUD_REGIONS];
    default:
      return [...DEFAULT_REGIONS, ...OPT_IN_REGIONS];
  }
}

export function isOptIn(region: string): boolean {
  return (OPT_IN_REGIONS as readonly string[]).includes(region);
}

/** The DNS suffix AWS uses for a partition's endpoints. */
export function dnsSuffix(region: string): string {
  return partitionOf(region) === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
}
