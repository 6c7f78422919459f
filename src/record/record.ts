/**
 * The result record: what a publish did per region. Written to `result-path`, uploaded as `<name>.arns.json` and as a
 * matrix leg's artifact, merged by report, read back by resolve (source github) and rollout. Its rows are kept in
 * region order (sortRegions) wherever they are shown or serialized.
 */
import { partitionOf } from '../aws/partitions.js';

/** The result of a publish, per region: written to `result-path`, uploaded as `<name>.arns.json`, merged by report. */
export const REGION_STATUSES = ['published', 'unchanged', 'failed', 'skipped', 'planned'] as const;
export type RegionStatus = (typeof REGION_STATUSES)[number];

export interface RegionResult {
  status: RegionStatus;
  /** LayerVersionArn exactly as AWS returned it. */
  arn?: string;
  version?: number;
  error?: string;
  /** Principals the version is shared with: `public`, account ids, organization ids. */
  sharing?: string[];
}

export interface ResultRecord {
  schema: 1;
  name: string;
  version: string;
  sha256: string;
  codeSha256: string;
  runtimes?: string[];
  architectures?: string[];
  commit?: string;
  /** ISO 8601 time the record was written; `report` prefers the newer of two legs' rows for the same region. */
  createdAt?: string;
  regions: Record<string, RegionResult>;
}

const PARTITION_ORDER = ['aws', 'aws-cn', 'aws-us-gov', 'aws-eusc', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f'];

/**
 * Partition first (commercial, China, GovCloud, ISO), then the region code alphabetically with its number compared
 * as a number, so a reader finds `eu-west-1` where the AWS console lists it and `ap-southeast-10` after `-9`.
 */
export function compareRegions(a: string, b: string): number {
  const pa = PARTITION_ORDER.indexOf(partitionOf(a, { anyRegion: true }));
  const pb = PARTITION_ORDER.indexOf(partitionOf(b, { anyRegion: true }));
  if (pa !== pb) return pa - pb;
  return a.localeCompare(b, 'en', { numeric: true });
}

export function sortRegions(regions: Iterable<string>): string[] {
  return [...regions].sort(compareRegions);
}

/** Rows that users can attach to a function: published now or reused unchanged. */
export function isAvailable(row: RegionResult): boolean {
  return (row.status === 'published' || row.status === 'unchanged') && Boolean(row.arn);
}
