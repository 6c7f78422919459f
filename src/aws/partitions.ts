/**
 * Partitions and regions. Region names are checked against the partition data the AWS SDK ships (a region the SDK
 * does not know would resolve to a made-up hostname and fail late with DNS errors); `all` means every region with
 * Lambda in the partition, from botocore's endpoint data (FACTS.md, Aug 2026).
 */
import { partition as sdkPartition } from '@aws-sdk/core/client';

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'] as const;
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
};

/** Where partition-wide calls (STS, EC2 DescribeRegions) go when no region of the list is better suited. */
const HOME_REGION: Record<Partition, string> = {
  aws: 'us-east-1',
  'aws-cn': 'cn-north-1',
  'aws-us-gov': 'us-gov-west-1',
};

/** A region name as AWS spells them; rules out the SDK's pseudo-regions such as `aws-global`. */
const REGION_SHAPE = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The partition of a region the SDK knows, or undefined for a name it does not know (a typo, a made-up region). */
export function partitionOf(region: string): Partition | undefined {
  if (!REGION_SHAPE.test(region)) return undefined;
  const info = sdkPartition(region) as { name: string; description?: string };
  // Only a known region carries its own `description`; an unknown name matching a partition's pattern does not.
  if (info.description === undefined) return undefined;
  return (PARTITIONS as readonly string[]).includes(info.name) ? (info.name as Partition) : undefined;
}

export function lambdaRegions(partition: Partition): string[] {
  return [...LAMBDA_REGIONS[partition]];
}

export function homeRegion(partition: Partition): string {
  return HOME_REGION[partition];
}
