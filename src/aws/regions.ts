/**
 * The regions a command works in: a RegionSelection (the `regions` and `exclude-regions` inputs, parsed by
 * src/settings/regions.ts) made a list, `all` from the partition's Lambda regions, `all-enabled` from what the
 * account says it has enabled.
 */
import type { EC2Client } from '@aws-sdk/client-ec2';
import { ConfigurationError } from '../errors.js';
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
