/**
 * Partitions and regions. Region names are checked against the partition data the AWS SDK ships (a region the SDK
 * does not know would resolve to a made-up hostname and fail late with DNS errors); `all` means every region with
 * Lambda in the partition: the table below (botocore's endpoint data, FACTS.md, Aug 2026) and every region of the
 * partition that the SDK knows (Lambda launches with every region, and the SDK learns new regions first).
 */
import { partition as sdkPartition } from '@aws-sdk/core/client';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc'] as const;
export type Partition = (typeof PARTITIONS)[number];

const AWS_DEFAULT = [
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
];

/** Regions an account must enable before use; they answer UnrecognizedClientException until it does. */
export const OPT_IN_REGIONS: readonly string[] = [
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
];

const LAMBDA_REGIONS: Record<Partition, readonly string[]> = {
  aws: [...AWS_DEFAULT, ...OPT_IN_REGIONS],
  'aws-cn': ['cn-north-1', 'cn-northwest-1'],
  'aws-us-gov': ['us-gov-east-1', 'us-gov-west-1'],
  // The AWS European Sovereign Cloud (amazonaws.eu), with its own accounts, ARNs and STS.
  'aws-eusc': ['eusc-de-east-1'],
};

/** Where partition-wide calls (STS, EC2 DescribeRegions) go when no region of the list is better suited. */
const HOME_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
  'aws-eusc': 'eusc-de-east-1',
};

/**
 * A region name as AWS spells them: `us-east-1`, `ap-southeast-7`, `us-gov-west-1`, `eu-isoe-west-1`, and the
 * European Sovereign Cloud's `eusc-de-east-1`; rules out the SDK's pseudo-regions such as `aws-global`.
 */
export const REGION_PATTERN = /^(?:[a-z]{2}|eusc)(?:-[a-z]+)+-\d{1,2}$/;

/** Partitions by region prefix; the first match wins, so the longer ISO prefixes come before `us-`. */
const PARTITION_PREFIXES: [string, string][] = [
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['cn-', 'aws-cn'],
  ['eusc-', 'aws-eusc'],
];

/**
 * The partition of a region the SDK knows, or undefined for a name it does not know (a typo, a made-up region):
 * what inputs are checked with. With `{ anyRegion: true }`, the partition any region name implies by its prefix
 * (ISO partitions too, `aws` for the rest): what a record's ARNs must name, since a record may come from a newer
 * runner whose SDK knows more regions.
 */
export function partitionOf(region: string): Partition | undefined;
export function partitionOf(region: string, options: { anyRegion: true }): string;
export function partitionOf(region: string, options?: { anyRegion: true }): string | undefined {
  if (options?.anyRegion) {
    for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
    return 'aws';
  }
  if (!REGION_PATTERN.test(region)) return undefined;
  const info = sdkPartition(region) as { name: string; description?: string };
  // Only a known region carries its own `description`; an unknown name matching a partition's pattern does not.
  if (info.description === undefined) return undefined;
  return (PARTITIONS as readonly string[]).includes(info.name) ? (info.name as Partition) : undefined;
}

/**
 * Where each partition's region names start, and the directions and numbers AWS names regions with. The SDK offers
 * no list of the regions it knows, only `partition(region)`, which tells a known region by its description; these
 * names are asked about (a few thousand lookups in a table, about a millisecond).
 */
const GEOGRAPHIES: Record<Partition, string[]> = {
  aws: ['us', 'eu', 'ap', 'sa', 'ca', 'me', 'af', 'il', 'mx'],
  'aws-cn': ['cn'],
  'aws-us-gov': ['us-gov'],
  'aws-eusc': ['eusc-de'],
};
const DIRECTIONS = ['east', 'west', 'north', 'south', 'central', 'northeast', 'northwest', 'southeast', 'southwest'];
const MAX_REGION_NUMBER = 20;

const known = new Map<Partition, string[]>();

/** Every region of the partition that the SDK's partition data names. */
export function sdkRegions(partition: Partition): string[] {
  let regions = known.get(partition);
  if (!regions) {
    regions = [];
    for (const geography of GEOGRAPHIES[partition]) {
      for (const direction of DIRECTIONS) {
        for (let n = 1; n <= MAX_REGION_NUMBER; n++) {
          const region = `${geography}-${direction}-${n}`;
          if (partitionOf(region) === partition) regions.push(region);
        }
      }
    }
    known.set(partition, regions);
  }
  return [...regions];
}

/** The table's regions of the partition, then those the SDK knows beyond it. */
export function lambdaRegions(partition: Partition): string[] {
  return [...new Set([...LAMBDA_REGIONS[partition], ...sdkRegions(partition)])];
}

export function homeRegion(partition: Partition): string {
  return HOME_REGION[partition];
}
