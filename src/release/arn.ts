/**
 * The small part of ARN handling the release side needs: which partition a region lives in, and the parts of a
 * LayerVersionArn. Kept here so validation does not depend on a client factory; src/aws may grow a fuller version.
 */

/** Partitions by region prefix; the first match wins, so the longer ISO prefixes come before `us-`. */
const PARTITION_PREFIXES: [string, string][] = [
  ['us-gov-', 'aws-us-gov'],
  ['us-isob-', 'aws-iso-b'],
  ['us-isof-', 'aws-iso-f'],
  ['us-iso-', 'aws-iso'],
  ['eu-isoe-', 'aws-iso-e'],
  ['cn-', 'aws-cn'],
];

/** A region name as AWS spells them: `us-east-1`, `ap-southeast-7`, `us-gov-west-1`, `eu-isoe-west-1`. */
export const REGION_PATTERN = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

export function partitionOf(region: string): string {
  for (const [prefix, partition] of PARTITION_PREFIXES) if (region.startsWith(prefix)) return partition;
  return 'aws';
}

export interface LayerVersionArn {
  partition: string;
  region: string;
  account: string;
  layerName: string;
  version: number;
}

const LAYER_VERSION_ARN = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):layer:([A-Za-z0-9_-]{1,140}):([1-9]\d*)$/;

/** The parts of `arn:<partition>:lambda:<region>:<account>:layer:<name>:<version>`, or undefined if it is not one. */
export function parseLayerVersionArn(arn: string): LayerVersionArn | undefined {
  const match = LAYER_VERSION_ARN.exec(arn);
  if (!match) return undefined;
  const version = Number(match[5]);
  if (!Number.isSafeInteger(version)) return undefined;
  return { partition: match[1], region: match[2], account: match[3], layerName: match[4], version };
}
