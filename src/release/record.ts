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
