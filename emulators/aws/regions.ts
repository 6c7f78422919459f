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
  'me-west-1',
  'sa-west-1',
] as const;

/**
 * Regions the JS SDK's partition data names (client-lambda 3.1164 and later) that botocore 1.43.11, the one the
 * table is compared with (__tests__/emulator-regions.test.ts), does not know yet. Opt-in, as every region since 2019.
 */
export const AHEAD_OF_BOTOCORE: readonly string[] = ['me-west-1', 'sa-west-1'];

export const CHINA_REGIONS = ['cn-north-1', 'cn-northwest-1'] as const;
export const GOVCLOUD_REGIONS = ['us-gov-east-1', 'us-gov-west-1'] as const;

export interface PartitionInfo {
  id: string;
  /** botocore's regionRegex (its exact source): how a region name not listed below is placed. */
  regionRegex: RegExp;
  dnsSuffix: string;
  /** The partition's regions with Lambda (outside aws, aws-cn and aws-us-gov: all of its regions botocore lists). */
  regions: readonly string[];
}

/**
 * AWS's partitions as botocore's data/partitions.json describes them (checked by
 * __tests__/emulator-regions.test.ts); the ISO and European Sovereign Cloud ones are served too, with their own ARNs.
 */
export const PARTITIONS: readonly PartitionInfo[] = [
  {
    id: 'aws',
    regionRegex: new RegExp('^(us|eu|ap|sa|ca|me|af|il|mx)\\-\\w+\\-\\d+$'),
    dnsSuffix: 'amazonaws.com',
    regions: [...DEFAULT_REGIONS, ...OPT_IN_REGIONS],
  },
  {
    id: 'aws-cn',
    regionRegex: new RegExp('^cn\\-\\w+\\-\\d+$'),
    dnsSuffix: 'amazonaws.com.cn',
    regions: CHINA_REGIONS,
  },
  {
    id: 'aws-us-gov',
    regionRegex: new RegExp('^us\\-gov\\-\\w+\\-\\d+$'),
    dnsSuffix: 'amazonaws.com',
    regions: GOVCLOUD_REGIONS,
  },
  {
    id: 'aws-eusc',
    regionRegex: new RegExp('^eusc\\-(de)\\-\\w+\\-\\d+$'),
    dnsSuffix: 'amazonaws.eu',
    regions: ['eusc-de-east-1'],
  },
  {
    id: 'aws-iso',
    regionRegex: new RegExp('^us\\-iso\\-\\w+\\-\\d+$'),
    dnsSuffix: 'c2s.ic.gov',
    regions: ['us-iso-east-1', 'us-iso-west-1'],
  },
  {
    id: 'aws-iso-b',
    regionRegex: new RegExp('^us\\-isob\\-\\w+\\-\\d+$'),
    dnsSuffix: 'sc2s.sgov.gov',
    regions: ['us-isob-east-1', 'us-isob-west-1'],
  },
  {
    id: 'aws-iso-e',
    regionRegex: new RegExp('^eu\\-isoe\\-\\w+\\-\\d+$'),
    dnsSuffix: 'cloud.adc-e.uk',
    regions: ['eu-isoe-west-1'],
  },
  {
    id: 'aws-iso-f',
    regionRegex: new RegExp('^us\\-isof\\-\\w+\\-\\d+$'),
    dnsSuffix: 'csp.hci.ic.gov',
    regions: ['us-isof-east-1', 'us-isof-south-1'],
  },
];

/** The partition a region belongs to, as botocore resolves it: a listed region first, then the name patterns. */
function partitionInfo(region: string): PartitionInfo {
  return (
    PARTITIONS.find((p) => p.regions.includes(region)) ??
    PARTITIONS.find((p) => p.regionRegex.test(region)) ??
    PARTITIONS[0]
  );
}

export function partitionOf(region: string): string {
  return partitionInfo(region).id;
}

/** Every region with Lambda in the partition the given region belongs to. */
export function regionsOfPartition(region: string): string[] {
  return [...partitionInfo(region).regions];
}

export function isOptIn(region: string): boolean {
  return (OPT_IN_REGIONS as readonly string[]).includes(region);
}

/** The DNS suffix AWS uses for a partition's endpoints. */
export function dnsSuffix(region: string): string {
  return partitionInfo(region).dnsSuffix;
}
