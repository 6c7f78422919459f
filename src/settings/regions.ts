/**
 * The `regions` and `exclude-regions` inputs: names checked against the SDK's partitions before anything is sent;
 * `all` and `all-enabled` are kept as asked and expanded by src/aws/regions.ts.
 */
import { partitionOf, type Partition } from '../aws/partitions.js';
import type { RegionSelection } from '../aws/regions.js';
import { ConfigurationError } from '../errors.js';
import { splitList } from './inputs.js';

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
