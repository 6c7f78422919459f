/**
 * The `regions` and `exclude-regions` inputs: names checked against the SDK's partitions before anything is sent,
 * `all` expanded from the partition's Lambda regions, `all-enabled` from what the account says it has enabled.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ConfigurationError } from '../errors.js';
import { splitList } from '../settings/inputs.js';
import { awsFailure, describeAwsError } from './errors.js';
import { homeRegion, lambdaRegions, partitionOf, type Partition } from './partitions.js';

export interface RegionSelection {
  partition: Partition;
  /** Regions named one by one, in the order given. */
  named: string[];
  /** `all`: every region with Lambda; `all-enabled`: those of them the account has enabled. */
  expand?: 'all' | 'all-enabled';
  exclude: string[];
}

const split = (value: string): string[] => splitList(value).map((s) => s.toLowerCase());

function checkRegion(input: string, region: string): Partition {
  const partition = partitionOf(region);
  if (!partition) {
    throw new ConfigurationError(
      `Input '${input}' has unknown region '${region}'; use region names such as us-east-1 (partitions aws, aws-cn, aws-us-gov, aws-eusc), 'all' or 'all-enabled'.`,
    );
  }
  return partition;
}

export function parseRegionSelection(regions: string, exclude: string, envRegion?: string): RegionSelection {
  const tokens = split(regions);
  if (tokens.length === 0) {
    throw new ConfigurationError(
      "Input 'regions' is required: list regions (us-east-1 eu-west-1 ...), 'all' or 'all-enabled'.",
    );
  }
  const keywords = [...new Set(tokens.filter((t) => t === 'all' || t === 'all-enabled'))];
  if (keywords.length > 1) {
    throw new ConfigurationError("Input 'regions' cannot hold both 'all' and 'all-enabled'; choose one.");
  }
  const named = [...new Set(tokens.filter((t) => t !== 'all' && t !== 'all-enabled'))];
  const partitions = new Set(named.map((r) => checkRegion('regions', r)));
  const excluded = [...new Set(split(exclude))];
  for (const r of excluded) checkRegion('exclude-regions', r);
  if (partitions.size > 1) {
    throw new ConfigurationError(
      `Input 'regions' mixes partitions (${[...partitions].join(', ')}); one set of credentials serves one partition, so publish to each in its own step.`,
    );
  }
  const fromEnv = envRegion ? partitionOf(envRegion.trim()) : undefined;
  const partition = [...partitions][0] ?? fromEnv ?? 'aws';
  const selection: RegionSelection = { partition, named, exclude: excluded };
  if (keywords[0]) selection.expand = keywords[0] as 'all' | 'all-enabled';
  else if (named.every((r) => excluded.includes(r))) {
    throw new ConfigurationError(
      "Input 'exclude-regions' removes every region of 'regions'; nothing would be published.",
    );
  }
  return selection;
}

/** The regions enabled for the account (EC2 DescribeRegions lists only those unless asked for all). */
export async function enabledRegions(ec2: EC2Client | Promise<EC2Client>): Promise<Set<string>> {
  try {
    const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
    const answer = await (await ec2).send(new DescribeRegionsCommand({ AllRegions: false }));
    return new Set((answer.Regions ?? []).map((r) => r.RegionName ?? '').filter(Boolean));
  } catch (err) {
    throw awsFailure(
      `Input 'regions': 'all-enabled' asks EC2 which regions the account has enabled, and that failed: ${describeAwsError(err, 'DescribeRegions', 'ec2')}.`,
      err,
    );
  }
}

/** The final, ordered list of regions: named ones first as given, then the partition's, minus the excluded. */
export async function resolveRegions(
  selection: RegionSelection,
  enabled: (partitionHome: string) => Promise<Set<string>>,
): Promise<string[]> {
  let regions = [...selection.named];
  if (selection.expand) {
    let expansion = lambdaRegions(selection.partition);
    if (selection.expand === 'all-enabled') {
      // Every enabled region the SDK knows, also one newer than the table; one the SDK does not know has no endpoint.
      const on = await enabled(homeRegion(selection.partition));
      const known = [...on].filter((r) => partitionOf(r) === selection.partition).sort();
      expansion = [...new Set([...expansion, ...known])].filter((r) => on.has(r));
    }
    regions = [...new Set([...regions, ...expansion])];
  }
  regions = regions.filter((r) => !selection.exclude.includes(r));
  if (regions.length === 0) {
    throw new ConfigurationError("Inputs 'regions' and 'exclude-regions' leave no region to publish to.");
  }
  return regions;
}
