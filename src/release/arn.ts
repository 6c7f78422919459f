/**
 * Which partition a region's ARNs must name, for any region name (src/aws/partitions.ts knows only the regions the SDK
 * ships, and a record may come from a newer runner), and the LayerVersionArn parser of src/aws.
 */

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
 * A region name as AWS spells them: `us-east-1`, `ap-southeast-7`, `us-gov-west-1`, `eu-isoe-west-1`, and the
 * European Sovereign Cloud's `eusc-de-east-1`.
 */
export const REGION_PATTERN = /^(?:[a-z]{2}|eusc)(?:-[a-z]+)+-\d{1,2}$/;

export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
  return 'aws';
}

export { parseLayerVersionArn, type LayerVersionArn } from '../aws/arn.js';
